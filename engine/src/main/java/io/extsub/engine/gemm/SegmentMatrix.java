package io.extsub.engine.gemm;

import io.extsub.engine.ElementType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A matrix in raw little-endian memory (typically a mapped tensor): element (i, j) at byte
 * {@code byteOffset + (i * rowStride + j * colStride) * type.byteSize()}. Strides are in
 * elements; any alignment is accepted.
 */
public record SegmentMatrix(MemorySegment segment, long byteOffset, ElementType type, long rowStride, long colStride)
        implements MatrixOperand {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A dense row-major matrix with {@code cols} columns starting at byte 0 of the segment. */
    public static SegmentMatrix rowMajor(MemorySegment segment, ElementType type, long cols) {
        return new SegmentMatrix(segment, 0, type, cols, 1);
    }

    @Override
    public float get(long row, long col) {
        long at = byteOffset + (row * rowStride + col * colStride) * type.byteSize();
        return switch (type) {
            case F32 -> segment.get(F32, at);
            case F16 -> Float.float16ToFloat(segment.get(I16, at));
            case BF16 -> Float.intBitsToFloat(segment.get(I16, at) << 16);
            case F64 -> (float) segment.get(F64, at);
        };
    }
}
