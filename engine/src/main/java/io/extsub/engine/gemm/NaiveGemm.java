package io.extsub.engine.gemm;

/**
 * The triple-loop reference: float64 accumulation, element reads through
 * {@link MatrixOperand#get}. Slow; for tests and for checking the blocked path.
 */
public final class NaiveGemm {
    private NaiveGemm() {}

    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                            MatrixOperand a, MatrixOperand b, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == Transpose.NO ? a.get(i, p) : a.get(p, i);
                    double y = tb == Transpose.NO ? b.get(p, j) : b.get(j, p);
                    s += x * y;
                }
                int at = cOff + i * ldc + j;
                double prior = beta == 0f ? 0 : (double) beta * c[at];
                c[at] = (float) (alpha * s + prior);
            }
        }
    }
}
