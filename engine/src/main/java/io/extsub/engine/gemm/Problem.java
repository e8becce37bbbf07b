package io.extsub.engine.gemm;

/**
 * One GEMM call after argument checks: C(i, j) at {@code c[cOff + i * rsC + j * csC]}
 * (csC is 1 for the caller's row-major C, rsC is 1 when the product was transposed to
 * suit a thin result).
 */
record Problem(Operand a, Operand b, int m, int n, int k, float alpha, float beta,
               float[] c, int cOff, int rsC, int csC) {

    /** C^T = op(B)^T op(A)^T: the same memory seen as an n x m product. */
    Problem transposed() {
        return new Problem(b.flipped(), a.flipped(), n, m, k, alpha, beta, c, cOff, csC, rsC);
    }

    /** C = beta * C on rows [r0, r1) x cols [c0, c1); beta = 0 writes zeros (NaN in C is ignored). */
    void scaleC(int r0, int r1, int c0, int c1) {
        if (beta == 1f) {
            return;
        }
        for (int i = r0; i < r1; i++) {
            int at = cOff + i * rsC + c0 * csC;
            for (int j = c0; j < c1; j++, at += csC) {
                c[at] = beta == 0f ? 0f : beta * c[at];
            }
        }
    }
}
