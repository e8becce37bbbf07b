package io.extsub.engine.gemm;

/**
 * C = alpha * op(A) * op(B) + beta * C, with op(A) m x k, op(B) k x n, C row-major m x n at
 * {@code c[cOff + i * ldc + j]}. beta = 0 ignores C (NaN in C does not propagate).
 */
public final class Gemm {
    private Gemm() {}

    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                            MatrixOperand a, MatrixOperand b, float beta, float[] c, int cOff, int ldc) {
        // Placeholder triple loop; replaced by the blocked implementation.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float x = ta == Transpose.NO ? a.get(i, p) : a.get(p, i);
                    float y = tb == Transpose.NO ? b.get(p, j) : b.get(j, p);
                    s = Math.fma(x, y, s);
                }
                int at = cOff + i * ldc + j;
                c[at] = beta == 0f ? alpha * s : alpha * s + beta * c[at];
            }
        }
    }

    /** Dense row-major product of a (m x k) and b (k x n) into a new m x n array. */
    public static float[] multiply(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[Math.multiplyExact(m, n)];
        gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, HeapMatrix.of(a, k), HeapMatrix.of(b, n), 0f, c, 0, n);
        return c;
    }
}
