package io.extsub.safetensors;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Supplies the bytes of each tensor while {@link SafetensorsWriter} streams a file.
 */
@FunctionalInterface
public interface TensorFiller {

    /**
     * Writes the little-endian, C-order bytes of {@code spec} into {@code dst}, which is exactly
     * {@code spec.byteSize()} bytes. For large tensors {@code dst} is a writable mapping of the
     * output file itself, so filling it in pieces keeps memory bounded. {@code dst} is valid
     * only during this call; do not keep it.
     */
    void fill(TensorSpec spec, MemorySegment dst) throws IOException;
}
