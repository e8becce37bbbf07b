package io.extsub.safetensors.torch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.safetensors.TensorFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Reads archives held in memory through the same code path as files. */
final class TorchTestFiles {
    static final Path NAME = Path.of("adapter_model.bin");

    private TorchTestFiles() {
    }

    static TorchBinFile read(byte[] archive) throws TensorFormatException {
        return read(archive, UnpicklerLimits.DEFAULT);
    }

    static TorchBinFile read(byte[] archive, UnpicklerLimits limits) throws TensorFormatException {
        Arena arena = Arena.ofShared();
        try {
            return TorchBinFile.read(NAME, MemorySegment.ofArray(archive), arena, limits);
        } catch (TensorFormatException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Asserts the archive is refused and returns the problem (message without the file name). */
    static String refused(byte[] archive) {
        return refused(archive, UnpicklerLimits.DEFAULT);
    }

    /** Asserts the archive is refused with a problem that contains {@code part}. */
    static void refusedWith(byte[] archive, String part) {
        String problem = refused(archive);
        assertTrue(problem.contains(part), () -> "expected '" + part + "' in: " + problem);
    }

    static String refused(byte[] archive, UnpicklerLimits limits) {
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> read(archive, limits).close());
        return e.problem();
    }
}
