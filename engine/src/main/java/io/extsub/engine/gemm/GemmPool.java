package io.extsub.engine.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A persistent pool of daemon workers for GEMM: no thread is started per call (starting
 * threads made the 2-thread n = 1024 timings of the feasibility probe noisy). The caller runs
 * part 0 itself. One parallel call at a time; a concurrent or nested caller runs its parts
 * sequentially instead of waiting, so GEMM can be called from any thread without deadlock.
 */
final class GemmPool {
    private static final GemmPool SHARED = new GemmPool(Runtime.getRuntime().availableProcessors() - 1);

    private final Worker[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;
    private volatile Throwable failure;

    GemmPool(int helpers) {
        workers = new Worker[Math.max(0, helpers)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(this, w);
        }
    }

    /** The process-wide pool sized to the cores (the caller plus availableProcessors - 1 workers). */
    static GemmPool shared() {
        return SHARED;
    }

    /** Threads a call can use, the caller included. */
    int parallelism() {
        return workers.length + 1;
    }

    /** False for a segment of a confined arena: only its owner thread may read it, not the workers. */
    boolean canRead(MatrixOperand operand) {
        return !(operand instanceof SegmentMatrix s) || workers.length == 0 || s.segment().isAccessibleBy(workers[0]);
    }

    /** Runs task(0) .. task(parts - 1), spread over the caller and the workers; returns when all are done. */
    void run(int parts, IntConsumer task) {
        if (parts <= 1 || workers.length == 0 || Thread.currentThread() instanceof Worker || !busy.tryLock()) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        try {
            int helpers = Math.min(parts - 1, workers.length);
            int stride = helpers + 1;
            failure = null;
            waiter = Thread.currentThread();
            pending.set(helpers);
            for (int w = 0; w < helpers; w++) {
                workers[w].assign(task, w + 1, stride, parts);
            }
            Throwable own = null;
            try {
                for (int i = 0; i < parts; i += stride) {
                    task.accept(i);
                }
            } catch (Throwable t) {
                own = t;
            }
            while (pending.get() > 0) {
                LockSupport.park(this);
            }
            Throwable t = own != null ? own : failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        } finally {
            waiter = null;
            busy.unlock();
        }
    }

    private void done(Throwable t) {
        if (t != null) {
            failure = t;
        }
        if (pending.decrementAndGet() == 0) {
            LockSupport.unpark(waiter);
        }
    }

    private static final class Worker extends Thread {
        private final GemmPool pool;
        private volatile IntConsumer job;
        private int first, stride, parts;

        Worker(GemmPool pool, int index) {
            super("extsub-gemm-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        void assign(IntConsumer task, int first, int stride, int parts) {
            this.first = first;
            this.stride = stride;
            this.parts = parts;
            if (getState() == State.NEW) {
                start();
            }
            job = task; // volatile write publishes the fields above
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                IntConsumer j;
                while ((j = job) == null) {
                    LockSupport.park(this);
                }
                Throwable err = null;
                try {
                    for (int i = first; i < parts; i += stride) {
                        j.accept(i);
                    }
                } catch (Throwable t) {
                    err = t;
                }
                job = null;
                pool.done(err);
            }
        }
    }
}
