package io.extsub.safetensors;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Files and folders a write is still filling. A JVM stopped mid-write (Ctrl-C, SIGTERM) runs
 * no finally block, so the writers' own cleanup never happens; a shutdown hook deletes what is
 * registered here instead, and an interrupted run leaves no partial output. A writer registers
 * a path before creating it and unregisters it once it is renamed into place or cleaned up.
 */
public final class PartialOutputs {
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();

    private PartialOutputs() {}

    public static void register(Path partial) {
        if (HOOK_ADDED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_PROGRESS.forEach(PartialOutputs::deleteQuietly),
                    "extsub-partial-output-cleanup"));
        }
        IN_PROGRESS.add(partial);
    }

    public static void unregister(Path partial) {
        IN_PROGRESS.remove(partial);
    }

    /** Deletes a file or a whole folder tree, best effort (errors are ignored). */
    public static void deleteQuietly(Path root) {
        try {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // Best effort: the original failure (or the interruption) is what the user needs to see.
        }
    }
}
