package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.Utf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;

/** A bounds-checked cursor over the bytes of {@code data.pkl}, shared by scanner and unpickler. */
final class PickleReader {
    private static final ValueLayout.OfInt I32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path file;
    private final MemorySegment bytes;
    private long pos;

    PickleReader(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    long position() {
        return pos;
    }

    long remaining() {
        return bytes.byteSize() - pos;
    }

    boolean atEnd() {
        return pos >= bytes.byteSize();
    }

    private void need(long n) throws TensorFormatException {
        if (n < 0 || n > remaining()) {
            throw fail("the pickle (data.pkl) is truncated at offset " + pos);
        }
    }

    int u8() throws TensorFormatException {
        need(1);
        return Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, pos++));
    }

    int u16() throws TensorFormatException {
        int lo = u8();
        return lo | (u8() << 8);
    }

    int i32() throws TensorFormatException {
        need(4);
        int v = bytes.get(I32, pos);
        pos += 4;
        return v;
    }

    long u32() throws TensorFormatException {
        return Integer.toUnsignedLong(i32());
    }

    long i64() throws TensorFormatException {
        need(8);
        long v = bytes.get(I64, pos);
        pos += 8;
        return v;
    }

    double f64BigEndian() throws TensorFormatException {
        need(8);
        double v = bytes.get(F64_BE, pos);
        pos += 8;
        return v;
    }

    void skip(long n) throws TensorFormatException {
        need(n);
        pos += n;
    }

    byte[] take(long n) throws TensorFormatException {
        need(n);
        byte[] out = bytes.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return out;
    }

    /** Bytes up to a newline (consumed, not returned); at most {@code max} bytes before it. */
    byte[] line(long max) throws TensorFormatException {
        long start = pos;
        long limit = Math.min(bytes.byteSize(), start + max + 1);
        for (long p = start; p < limit; p++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, p) == '\n') {
                byte[] out = bytes.asSlice(start, p - start).toArray(ValueLayout.JAVA_BYTE);
                pos = p + 1;
                return out;
            }
        }
        if (limit == bytes.byteSize()) {
            throw fail("the pickle (data.pkl) is truncated at offset " + start + " (a text argument has no newline)");
        }
        throw fail("a text argument at offset " + start + " of the pickle is longer than " + max + " bytes");
    }

    String utf8(byte[] raw) throws TensorFormatException {
        try {
            return Utf8.decode(raw);
        } catch (CharacterCodingException e) {
            throw fail("a string in the pickle (data.pkl) is not valid UTF-8");
        }
    }

    TensorFormatException fail(String problem) {
        return new TensorFormatException(file, problem);
    }
}
