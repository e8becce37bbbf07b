package io.extsub.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A JVM stopped by SIGTERM (as by Ctrl-C's SIGINT) in the middle of
 * {@link SafetensorsWriter#write} leaves no temporary file: a child JVM ({@link #main}) blocks
 * while filling its second tensor and is stopped there.
 */
class PartialOutputsTest {
    @TempDir
    Path tmp;

    /** Child: writes {@code args[0]}, says so once the first tensor is in, then blocks. */
    public static void main(String[] args) throws Exception {
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.F32, new long[] {4}),
                new TensorSpec("b", DType.F32, new long[] {4}));
        SafetensorsWriter.write(Path.of(args[0]), specs, (spec, dst) -> {
            // park until stopped (park may return early: keep parking, say it once)
            for (boolean told = false; spec.name().equals("b"); told = true) {
                if (!told) {
                    System.out.print("writing");
                    System.out.flush();
                }
                LockSupport.park();
            }
        });
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void writerStoppedMidFileLeavesNoTemporaryFile() throws Exception {
        Path out = tmp.resolve("model.safetensors");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), PartialOutputsTest.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("writing", new String(child.getInputStream().readNBytes("writing".length())),
                    "the child did not reach the second tensor");
            assertEquals(1, entries(tmp).size(), "the temporary file exists while writing: " + entries(tmp));
            child.destroy(); // SIGTERM: shutdown hooks run, finally blocks do not
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(List.of(), entries(tmp));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
