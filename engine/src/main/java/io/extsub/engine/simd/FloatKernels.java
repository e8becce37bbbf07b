package io.extsub.engine.simd;

import io.extsub.engine.ElementType;
import java.lang.foreign.MemorySegment;

/**
 * The level-1 kernels every hot loop above them is built from. Two implementations:
 * {@link ScalarKernels} (plain Java, always available) and the Vector API one, loaded
 * only when {@code jdk.incubator.vector} is in the boot layer. Obtain one with
 * {@link Kernels#get()}.
 *
 * <p>Segment arguments are raw little-endian bytes at any (unaligned) offset, as they sit
 * in a mapped safetensors or PyTorch file.
 */
public interface FloatKernels {

    /** Sum of a[aOff+i] * b[bOff+i], i < n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** y[yOff+i] += alpha * x[xOff+i], i < n. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** x[off+i] *= alpha, i < n. */
    void scale(float alpha, float[] x, int off, int n);

    /** Sum of squares, accumulated so that n up to 2^31 float32 values lose no more than a few ulps. */
    double sumOfSquares(float[] x, int off, int n);

    /** Largest |x[off+i]|, i < n; 0 for n = 0; NaN if any element is NaN. */
    float maxAbs(float[] x, int off, int n);

    /** Decodes n elements of {@code type} starting at {@code byteOffset} of {@code src} into dst. */
    void toFloat(MemorySegment src, long byteOffset, ElementType type, float[] dst, int dstOff, int n);

    /**
     * Encodes n floats into {@code type} at {@code byteOffset} of {@code dst}: F16 and BF16
     * round to nearest even (as torch's {@code .to(dtype)} does), F64 widens exactly.
     */
    void fromFloat(float[] src, int srcOff, MemorySegment dst, long byteOffset, ElementType type, int n);

    /** The GEMM micro-kernels matching this implementation (vector or plain Java). */
    MicroKernel microKernel();

    /** "scalar", or "vector" + the species bit size, e.g. "vector512". */
    String name();
}
