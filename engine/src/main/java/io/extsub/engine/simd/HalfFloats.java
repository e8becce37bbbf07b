package io.extsub.engine.simd;

import io.extsub.engine.ElementType;

/**
 * F16/BF16 <-> F32 on plain arrays of the 16-bit patterns, for callers that move the bits in
 * and out of a segment with one bulk {@code MemorySegment.copy}. Per-element segment access
 * runs through var-handle checks that are only free once C2 has compiled the loop; a CLI run
 * converts each tensor once, mostly before that (7B-shaped BF16 pair: the writer thread spent a
 * quarter of its samples in {@code AbstractMemorySegmentImpl.isAlignedForElement}). Array loops
 * are cheap in every tier. Same rounding as {@link ScalarKernels}: the bit patterns are equal.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** dst[dstOff + i] = the F16 or BF16 value with bits src[srcOff + i], exactly, i < n. */
    public static void toFloat(short[] src, int srcOff, ElementType type, float[] dst, int dstOff, int n) {
        switch (type) {
            case F16 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = Float.intBitsToFloat(src[srcOff + i] << 16);
            }
            default -> throw new IllegalArgumentException("not a 16-bit float type: " + type);
        }
    }

    /** dst[dstOff + i] = src[srcOff + i] rounded to F16 or BF16 (nearest even), i < n. */
    public static void fromFloat(float[] src, int srcOff, ElementType type, short[] dst, int dstOff, int n) {
        switch (type) {
            case F16 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = Float.floatToFloat16(src[srcOff + i]);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = toBfloat16(src[srcOff + i]);
            }
            default -> throw new IllegalArgumentException("not a 16-bit float type: " + type);
        }
    }

    /** Round to nearest even on the 16 dropped bits; NaN stays a (quiet) NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }
}
