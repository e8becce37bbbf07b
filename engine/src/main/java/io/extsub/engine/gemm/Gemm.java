package io.extsub.engine.gemm;

/**
 * C = alpha * op(A) * op(B) + beta * C, with op(A) m x k, op(B) k x n, C row-major m x n at
 * {@code c[cOff + i * ldc + j]}. beta = 0 ignores C (NaN in C does not propagate); alpha = 0
 * or k = 0 only scales C. Operands are heap arrays or little-endian segments (F32, F16, BF16,
 * F64) with any strides; packing converts them, so mapped tensors multiply without a copy.
 *
 * <p>Runs on {@link GemmEngine#shared()}: the Vector API micro-kernel when available, all
 * cores through a persistent pool. See docs/engine-kernels.md for the design.
 */
public final class Gemm {
    private Gemm() {}

    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                            MatrixOperand a, MatrixOperand b, float beta, float[] c, int cOff, int ldc) {
        GemmEngine.shared().gemm(ta, tb, m, n, k, alpha, a, b, beta, c, cOff, ldc);
    }

    /** Dense row-major product of a (m x k) and b (k x n) into a new m x n array. */
    public static float[] multiply(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[Math.multiplyExact(m, n)];
        gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, HeapMatrix.of(a, k), HeapMatrix.of(b, n), 0f, c, 0, n);
        return c;
    }
}
