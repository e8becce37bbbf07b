package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Bounds-checked little-endian reads from the mapped archive. Every read names what it was
 * reading, so a truncated or lying archive fails with a message instead of an
 * {@link IndexOutOfBoundsException}.
 */
final class ZipBytes {
    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment bytes;

    ZipBytes(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    long size() {
        return bytes.byteSize();
    }

    MemorySegment segment() {
        return bytes;
    }

    void require(long offset, long length, String what) throws TensorFormatException {
        if (offset < 0 || length < 0 || offset > bytes.byteSize() - length) {
            throw fail("truncated archive: " + what + " at offset " + offset + " (" + length
                    + " bytes) runs past the end of the file (" + bytes.byteSize() + " bytes)");
        }
    }

    int u16(long offset, String what) throws TensorFormatException {
        require(offset, 2, what);
        return Short.toUnsignedInt(bytes.get(U16, offset));
    }

    long u32(long offset, String what) throws TensorFormatException {
        require(offset, 4, what);
        return Integer.toUnsignedLong(bytes.get(U32, offset));
    }

    /** An unsigned 64-bit field; values above {@link Long#MAX_VALUE} cannot describe this file. */
    long u64(long offset, String what) throws TensorFormatException {
        require(offset, 8, what);
        long v = bytes.get(U64, offset);
        if (v < 0) {
            throw fail(what + " is larger than any file (" + Long.toUnsignedString(v) + ")");
        }
        return v;
    }

    byte[] bytes(long offset, int length, String what) throws TensorFormatException {
        require(offset, length, what);
        return bytes.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    TensorFormatException fail(String problem) {
        return new TensorFormatException(file, problem);
    }
}
