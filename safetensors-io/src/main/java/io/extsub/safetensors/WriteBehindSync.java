package io.extsub.safetensors;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Forces the part of a file written so far to disk on a background thread, while the writer
 * goes on, so the final {@code force} before the atomic rename only has the tail left to
 * flush. Tensors arrive as modules finish computing: a 7B-shaped Ext-Sub run writes 67 MB
 * over a quarter of a second, and flushing it all at the end cost ~20 ms of wall time on top
 * (docs/benchmarks.md). One flush runs at a time; a flush still running when the next step is
 * reached is simply not doubled. Failures surface in {@link #finish()}.
 */
final class WriteBehindSync {
    /** Flush after each this many new bytes. */
    static final long STEP = 16L << 20;

    private final FileChannel channel;
    private long requestedUpTo;
    private Thread running;
    private volatile IOException failure;

    WriteBehindSync(FileChannel channel, long start) {
        this.channel = channel;
        this.requestedUpTo = start;
    }

    /** The file now holds data up to {@code end}; starts a flush if a step has accumulated and none runs. */
    void wrote(long end) {
        if (end - requestedUpTo < STEP || (running != null && running.isAlive())) {
            return;
        }
        requestedUpTo = end;
        running = Thread.ofPlatform().daemon().name("extsub-write-behind").start(() -> {
            try {
                channel.force(false); // data only; the final force(true) covers the metadata
            } catch (IOException e) {
                failure = e;
            }
        });
    }

    /** Waits for a running flush; throws what any flush failed with. Call before the final force and close. */
    void finish() throws IOException {
        if (running != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    running.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the channel must not close under a running force
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
