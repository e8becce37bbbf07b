package io.extsub.peft;

import io.extsub.safetensors.PartialOutputs;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output folder atomically: everything goes into a hidden temporary folder beside
 * the target, which is renamed onto the target at the end. A non-empty target is refused
 * unless forced (then it is replaced, also by rename); a target inside an input folder, or
 * containing one, is always refused. On failure the temporary folder (and any parent
 * folders this call created) is removed, so nothing is left behind; a shutdown hook does the
 * same when the JVM is stopped mid-write (Ctrl-C, SIGTERM), where no finally block runs.
 */
public final class OutputFolder {

    /** Writes the folder's files into the (empty) temporary folder. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path tempDir) throws IOException;
    }

    private OutputFolder() {}

    /** The checks of {@link #write}, for a caller that wants to fail before doing any work. */
    public static void checkTarget(Path out, boolean force, List<Path> inputs) throws IOException {
        Path target = realish(out);
        for (Path in : inputs) {
            Path input = in.toRealPath();
            String what = Files.isDirectory(input) ? "the input folder " : "the input ";
            if (target.startsWith(input)) {
                throw new AdapterException(out, "is inside " + what + in + "; refusing to write into an input");
            }
            if (input.startsWith(target)) {
                throw new AdapterException(out, "contains " + what + in + "; refusing to replace it");
            }
        }
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new AdapterException(out, "exists and is not a folder");
            }
            if (!force && !isEmpty(out)) {
                throw new AdapterException(out, "folder exists and is not empty (use --force to replace it)");
            }
        }
    }

    /**
     * Writes {@code out} atomically (see the class comment); {@code inputs} are the folders or
     * files the run reads, which the target may neither be inside of nor contain.
     */
    public static void write(Path out, boolean force, List<Path> inputs, Contents contents) throws IOException {
        checkTarget(out, force, inputs);
        Path abs = out.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path createdTop = null;
        if (!Files.isDirectory(parent)) {
            Path p = parent;
            while (p != null && !Files.exists(p)) {
                createdTop = p;
                p = p.getParent();
            }
            Files.createDirectories(parent);
        }
        String name = abs.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".extsub-tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        // What a failed or interrupted run must not leave: the temporary folder, or the topmost parent
        // this call created (which holds it). The finally removes it after a failure, the shutdown
        // hook after Ctrl-C or SIGTERM, when no finally runs.
        Path partial = createdTop != null ? createdTop : tmp;
        PartialOutputs.register(partial);
        boolean done = false;
        try {
            Files.createDirectory(tmp);
            contents.writeInto(tmp);
            commit(tmp, abs, parent, name);
            done = true;
        } finally {
            PartialOutputs.unregister(partial);
            if (!done) {
                PartialOutputs.deleteQuietly(partial);
            }
        }
    }

    private static void commit(Path tmp, Path target, Path parent, String name) throws IOException {
        try {
            if (!Files.exists(target)) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            Path old = parent.resolve("." + name + ".extsub-old-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            PartialOutputs.deleteQuietly(old);
        } catch (AtomicMoveNotSupportedException e) {
            throw new AdapterException(target, "the file system cannot rename atomically here", e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** The real path of the longest existing ancestor, with the rest appended (the target may not exist yet). */
    private static Path realish(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs));
    }
}
