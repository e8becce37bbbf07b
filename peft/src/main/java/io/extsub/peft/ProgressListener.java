package io.extsub.peft;

/**
 * Progress of a run, module by module. {@link #moduleDone} may be called from several
 * threads (modules run in parallel), never concurrently with {@link #started}; {@code done}
 * counts up from 1 to {@code total} across calls.
 */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
        @Override
        public void started(int totalModules) {}

        @Override
        public void moduleDone(String module, int done, int total) {}
    };

    void started(int totalModules);

    void moduleDone(String module, int done, int total);
}
