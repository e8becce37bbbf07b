package io.extsub.engine.simd;

import io.extsub.engine.ElementType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain-Java kernels: the reference twin of the vector ones, and the fallback. */
final class ScalarKernels implements FloatKernels {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void scale(float alpha, float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    /**
     * Four float64 chains: one chain waits 4 cycles per element on the add. Also the plain-loop
     * norm of the first passes over a matrix early in a process, when Vector API code still
     * runs boxed in C1 code (RowBlockGemm, the extract deltas): cheap in every tier.
     */
    @Override
    public double sumOfSquares(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double v0 = x[off + i], v1 = x[off + i + 1], v2 = x[off + i + 2], v3 = x[off + i + 3];
            s0 += v0 * v0; // exact: a float's square fits a double
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < n; i++) {
            double v = x[off + i];
            s0 += v * v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        float m = 0f;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[off + i])); // Math.max keeps a NaN once seen
        }
        return m;
    }

    @Override
    public void toFloat(MemorySegment src, long byteOffset, ElementType type, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = src.get(F32, byteOffset + 4L * i);
            }
            case F16 -> {
                // Also VectorKernels' F16 decoder: keep the int index, C2 vectorizes (vcvtph2ps) only that form.
                for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src.get(I16, byteOffset + 2L * i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = Float.intBitsToFloat(src.get(I16, byteOffset + 2L * i) << 16);
            }
            case F64 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = (float) src.get(F64, byteOffset + 8L * i);
            }
        }
    }

    @Override
    public void fromFloat(float[] src, int srcOff, MemorySegment dst, long byteOffset, ElementType type, int n) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) dst.set(F32, byteOffset + 4L * i, src[srcOff + i]);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) dst.set(I16, byteOffset + 2L * i, Float.floatToFloat16(src[srcOff + i]));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst.set(I16, byteOffset + 2L * i, HalfFloats.toBfloat16(src[srcOff + i]));
            }
            case F64 -> {
                for (int i = 0; i < n; i++) dst.set(F64, byteOffset + 8L * i, src[srcOff + i]);
            }
        }
    }

    private final MicroKernel micro = new ScalarMicroKernel();

    @Override
    public MicroKernel microKernel() {
        return micro;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
