package io.extsub.cli;

import io.extsub.peft.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal's stderr, redrawn with {@code \r}. It stays invisible for
 * the first {@link #DELAY_NANOS} so short runs (most of them) print nothing but their summary;
 * {@link #finish()} erases it. Used only when stderr is a terminal.
 */
final class ProgressBar implements ProgressListener {
    static final long DELAY_NANOS = 500_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void started(int totalModules) {}

    @Override
    public synchronized void moduleDone(String module, int done, int total) {
        long now = System.nanoTime();
        if (now - start < DELAY_NANOS || (now - lastDraw < 50_000_000L && done < total)) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + done + "/" + total + " modules");
        err.flush();
        drawn = true;
    }

    synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(label.length() + WIDTH + 30) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
