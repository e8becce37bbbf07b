package io.extsub.peft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the modules of a run on one thread per core, in module order, while the caller
 * takes the results in that order (to write them) and releases each once written. Modules are
 * independent (issue 3), and a written result no longer needs to stay on the heap: the workers
 * run at most {@link #AHEAD_PER_THREAD} modules per thread ahead of the writer, so a result dies
 * young instead of being copied by the collector and kept until the end (a 70B-shaped pair
 * writes 250 MB). Taking a module that was not started yet starts it, and the ones up to the
 * window after it, so a caller that needs every result first (recompression) still gets them.
 * One caller thread takes and releases; the workers only compute.
 */
final class ModuleStream implements AutoCloseable {
    static final int AHEAD_PER_THREAD = 2;

    private final List<ModulePair> pairs;
    private final OperationRequest req;
    private final ProgressListener progress;
    private final ExecutorService pool;
    private final int window;
    private final List<CompletableFuture<ModuleResult>> results;
    private final boolean[] released;
    private final AtomicInteger done = new AtomicInteger();
    private int submitted;

    private ModuleStream(List<ModulePair> pairs, OperationRequest req, ProgressListener progress, int threads) {
        this.pairs = pairs;
        this.req = req;
        this.progress = progress;
        AtomicInteger worker = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "extsub-module-" + worker.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.window = threads * AHEAD_PER_THREAD;
        this.results = new ArrayList<>(pairs.size());
        this.released = new boolean[pairs.size()];
    }

    /** Starts the first modules; {@code progress} hears of each as it finishes (from the workers). */
    static ModuleStream start(List<ModulePair> pairs, OperationRequest req, ProgressListener progress) {
        progress.started(pairs.size());
        int threads = Math.max(1, Math.min(pairs.size(), Runtime.getRuntime().availableProcessors()));
        ModuleStream s = new ModuleStream(pairs, req, progress, threads);
        s.submitThrough(s.window - 1);
        return s;
    }

    /** Module i's result, waiting for it; a module's failure is thrown here as it was raised. */
    ModuleResult take(int i) throws IOException {
        if (released[i]) {
            throw new IllegalStateException("module " + i + " was already released");
        }
        submitThrough(i + window - 1);
        try {
            return results.get(i).join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            switch (cause) {
                case IOException io -> throw io;
                case UncheckedIOException u -> throw u.getCause();
                case UnsupportedOperationException u -> throw new AdapterException(req.output(),
                        "recompression (--rank/--tol) is not available in this build");
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(cause);
            }
        }
    }

    /** Forgets module i's result, so that its arrays can be collected, and starts the next module. */
    void release(int i) {
        released[i] = true;
        results.set(i, null);
        submitThrough(i + window);
    }

    private void submitThrough(int last) {
        int total = pairs.size();
        for (; submitted <= last && submitted < total; submitted++) {
            ModulePair p = pairs.get(submitted);
            results.add(CompletableFuture.supplyAsync(() -> {
                ModuleResult r = ModuleOperations.apply(p, req.operation(), req.rankLimit(), req.dtype());
                synchronized (progress) {
                    progress.moduleDone(p.expert().key(), done.incrementAndGet(), total);
                }
                return r;
            }, pool));
        }
    }

    /** Stops the workers; modules not yet finished (after a failure) are abandoned. */
    @Override
    public void close() {
        for (CompletableFuture<ModuleResult> f : results) {
            if (f != null) {
                f.cancel(false);
            }
        }
        pool.shutdownNow();
    }
}
