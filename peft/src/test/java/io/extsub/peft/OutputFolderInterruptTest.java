package io.extsub.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM stopped in the middle of {@link OutputFolder#write} (SIGTERM, as Ctrl-C's SIGINT) runs
 * no finally block; the shutdown hook must still remove the temporary folder and the parent
 * folders the write created. Runs a child JVM ({@link #main}) that blocks inside the write.
 */
class OutputFolderInterruptTest {
    @TempDir
    Path tmp;

    /** Child: writes {@code args[0]} and blocks forever once a first file is in the temporary folder. */
    public static void main(String[] args) throws Exception {
        OutputFolder.write(Path.of(args[0]), false, List.of(), dir -> {
            Files.writeString(dir.resolve("adapter_model.safetensors"), "partial");
            System.out.print("writing");
            System.out.flush();
            while (true) {
                LockSupport.park();
            }
        });
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void stoppedMidWriteLeavesNothing() throws Exception {
        Path out = tmp.resolve("new").resolve("parents").resolve("out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OutputFolderInterruptTest.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new String(child.getInputStream().readNBytes("writing".length()));
            assertEquals("writing", line, "the child did not reach the write");
            assertTrue(Files.isDirectory(tmp.resolve("new").resolve("parents")), "the write made its parent folders");
            assertEquals(1, entries(tmp.resolve("new").resolve("parents")).size(), "one temporary folder while writing");
            child.destroy(); // SIGTERM: shutdown hooks run, finally blocks do not
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            child.destroyForcibly();
        }
        assertFalse(Files.exists(tmp.resolve("new")), "left behind: " + (Files.exists(tmp.resolve("new"))
                ? entries(tmp.resolve("new")) : List.of()));
        assertEquals(List.of(), entries(tmp));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
