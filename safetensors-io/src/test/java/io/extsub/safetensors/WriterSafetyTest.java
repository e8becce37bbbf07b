package io.extsub.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Atomic replacement, cleanup on failure, and refusal to overwrite inputs. */
class WriterSafetyTest {

    @TempDir
    Path dir;

    private static final List<TensorSpec> ONE = List.of(new TensorSpec("w", DType.F32, new long[] {4}));

    private List<String> folderListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void failingFillerLeavesNoTempFileAndKeepsTheOldTarget() throws Exception {
        Path target = dir.resolve("out.safetensors");
        Files.writeString(target, "old content");
        IOException e = assertThrows(IOException.class, () -> SafetensorsWriter.write(target, ONE, (s, d) -> {
            throw new IOException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertEquals(List.of("out.safetensors"), folderListing());
        assertEquals("old content", Files.readString(target));

        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(target, ONE, (s, d) -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("out.safetensors"), folderListing());
    }

    @Test
    void replacesAnExistingOutput() throws Exception {
        Path target = dir.resolve("out.safetensors");
        Files.writeString(target, "old content");
        SafetensorsWriter.write(target, ONE, (s, d) -> d.fill((byte) 1));
        assertEquals(List.of("out.safetensors"), folderListing());
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                    f.find("w").orElseThrow().data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void refusesToOverwriteAnInput() throws Exception {
        Path input = dir.resolve("in.safetensors");
        SafetensorsWriter.write(input, ONE, (s, d) -> d.fill((byte) 3));
        byte[] before = Files.readAllBytes(input);

        OutputConflictException same = assertThrows(OutputConflictException.class,
                () -> SafetensorsWriter.write(input, ONE, Map.of(), List.of(input), (s, d) -> d.fill((byte) 4)));
        assertEquals(input + ": is an input of this run (" + input + "); refusing to overwrite it", same.getMessage());

        // The same file reached another way: a relative/unnormalized path, a symlink, a hard link.
        Path odd = dir.resolve("sub/../in.safetensors");
        Files.createDirectories(dir.resolve("sub"));
        assertThrows(OutputConflictException.class,
                () -> SafetensorsWriter.write(odd, ONE, Map.of(), List.of(input), (s, d) -> { }));
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), input);
        assertThrows(OutputConflictException.class,
                () -> SafetensorsWriter.write(link, ONE, Map.of(), List.of(input), (s, d) -> { }));
        assertThrows(OutputConflictException.class,
                () -> SafetensorsWriter.write(input, ONE, Map.of(), List.of(link), (s, d) -> { }));
        Path hard = Files.createLink(dir.resolve("hard.safetensors"), input);
        assertThrows(OutputConflictException.class,
                () -> SafetensorsWriter.write(hard, ONE, Map.of(), List.of(input), (s, d) -> { }));

        assertArrayEquals(before, Files.readAllBytes(input));
        assertEquals(List.of("hard.safetensors", "in.safetensors", "link.safetensors", "sub"), folderListing());

        // A different file is fine.
        SafetensorsWriter.write(dir.resolve("out.safetensors"), ONE, Map.of(), List.of(input), (s, d) -> { });
    }

    @Test
    void refusesAFolderAsTarget() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("x.safetensors"));
        IOException e = assertThrows(IOException.class, () -> SafetensorsWriter.write(folder, ONE, (s, d) -> { }));
        assertEquals(folder + ": is a folder, not a file", e.getMessage());
        Path orphan = dir.resolve("missing/out.safetensors");
        IOException m = assertThrows(IOException.class, () -> SafetensorsWriter.write(orphan, ONE, (s, d) -> { }));
        assertEquals(orphan + ": folder " + dir.resolve("missing") + " does not exist", m.getMessage());
    }
}
