package io.extsub.engine.simd;

/**
 * The register-blocked GEMM micro-kernels (BLIS terminology: the MR x NR kernel and the
 * skinny row kernel). Provided by a {@link FloatKernels} implementation so the vector one
 * is reached through the single reflective load in {@link Kernels}.
 */
public interface MicroKernel {

    /** Rows of the register tile (and of a packed A micro-panel). */
    int mr();

    /** Columns of the register tile (and of a packed B micro-panel). */
    int nr();

    /**
     * C[mr x nr] += A * B over kc steps. {@code a} holds an A micro-panel packed column by
     * column ({@code a[aOff + p * mr + r]}), {@code b} a B micro-panel packed row by row
     * ({@code b[bOff + p * nr + j]}); C is row-major at {@code c[cOff + r * ldc + j]}.
     */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc);

    /**
     * One row of a skinny product: c[cOff + j] = sum_p a[aOff + p] * b[bOff + p * ldb + j]
     * (+ beta * c[cOff + j] unless beta is 0, which ignores C), j < n. Used when k is small
     * and packing would cost more than it saves.
     */
    void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n);
}
