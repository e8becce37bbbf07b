package io.extsub.peft;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.HalfFloats;
import io.extsub.engine.simd.Kernels;
import io.extsub.safetensors.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Stored tensors to heap floats (F16/BF16 widened exactly), back to the output dtype, and
 * transposition. Tuned for a short-lived CLI JVM (docs/benchmarks.md, "bin/extsub ext-sub end
 * to end"): F32 is a plain bulk copy, done here so that an F32 run never initializes the kernel
 * selector and the Vector API (tens of milliseconds). F16/BF16 move their 16-bit patterns with
 * one bulk copy and convert them in plain array loops ({@link HalfFloats}): Vector API code runs
 * as boxed objects until C2 has compiled it (7B-shaped BF16 pair: 2.4 s with the vector kernels,
 * 0.9 s without), and per-element segment access pays var-handle checks until then (the same
 * pair, 2026-12-03 AVX2 host: 1.27 s median with it, 1.07 s with the bulk copies; output
 * bytes identical). {@link #store} is also the writer of {@code extract} and {@code generate-pair},
 * {@link #toFloat} the reader of the {@code extract} deltas.
 */
public final class Decode {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Decode() {}

    static ElementType elementType(TensorView t) {
        return switch (t.dtype()) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            case F64 -> ElementType.F64;
            default -> throw new IllegalArgumentException("not a float tensor: " + t);
        };
    }

    static float[] floats(TensorView t) {
        int n = Math.toIntExact(t.elementCount());
        float[] out = new float[n];
        ElementType type = elementType(t);
        toFloat(t.data(), 0, type, out, 0, n, type.byteSize() == 2 ? new short[n] : null);
        return out;
    }

    /**
     * dst[dstOff + i] = element i of the run of n {@code type} values at {@code byteOffset};
     * {@code bits} is scratch of length >= n for F16/BF16 (ignored otherwise).
     */
    public static void toFloat(MemorySegment src, long byteOffset, ElementType type, float[] dst, int dstOff, int n,
                               short[] bits) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, F32, byteOffset, dst, dstOff, n);
            case F16, BF16 -> {
                MemorySegment.copy(src, I16, byteOffset, bits, 0, n);
                HalfFloats.toFloat(bits, 0, type, dst, dstOff, n);
            }
            case F64 -> Kernels.scalar().toFloat(src, byteOffset, type, dst, dstOff, n);
        }
    }

    /** Rounds {@code src} to {@code type} into {@code dst} (little-endian). */
    public static void store(float[] src, MemorySegment dst, ElementType type) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, 0, dst, F32, 0, src.length);
            case F16, BF16 -> {
                short[] bits = new short[src.length];
                HalfFloats.fromFloat(src, 0, type, bits, 0, src.length);
                MemorySegment.copy(bits, 0, dst, I16, 0, bits.length);
            }
            case F64 -> Kernels.scalar().fromFloat(src, 0, dst, 0, type, src.length);
        }
    }

    /** The transpose of a rows x cols row-major matrix. */
    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }
}
