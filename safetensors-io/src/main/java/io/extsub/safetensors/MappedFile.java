package io.extsub.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a whole file read-only for a reader whose result owns the mapping: the tensor files
 * ({@link SafetensorsFile}, {@code torch.TorchBinFile}) keep their views as slices of it and
 * unmap it when closed. On any failure the mapping is released before the exception leaves.
 */
public final class MappedFile {

    /** Builds the reader's result from the mapped bytes; the result must close {@code arena}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(MemorySegment contents, Arena arena) throws IOException;
    }

    private MappedFile() {
    }

    /** Maps {@code file} into a shared arena (views may be read from any thread) and reads it. */
    public static <T> T read(Path file, Reader<T> reader) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // The mapping outlives the channel; it ends when the arena closes.
            return reader.read(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena), arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }
}
