package io.extsub.engine.linalg;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;

/**
 * CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa and Yamamoto 2014; Yamamoto et al. 2015):
 * G = Y^T Y = R^T R, Q = Y R^-1, done twice. All the O(m n^2) work is two GEMM shapes
 * (a Gram product and a product with a small triangle), which is why it is the tall-skinny
 * fast path. It is only stable while cond(Y) is below about u^-1/2 (~4e3 in float32):
 * {@link #tryOrthonormalize} reports failure (Cholesky breakdown, a graded R, or a second
 * Gram matrix far from I) and the caller falls back to Householder QR.
 */
final class CholeskyQr2 {
    /** Largest max/min ratio of R's diagonal (a lower bound on cond(Y)) accepted in pass 1. */
    private static final double MAX_GRADING = 1e3;
    /** Largest |G2 - I| accepted in pass 2; pass 2 then restores orthogonality to O(u). */
    private static final double MAX_PASS2_DEVIATION = 0.25;

    private CholeskyQr2() {}

    /** Q (m x n, row-major) with orthonormal columns spanning those of y, or false (q then undefined). */
    static boolean tryOrthonormalize(float[] y, int m, int n, float[] q) {
        return run(y, m, n, q, new double[n * n], new double[n * n]);
    }

    /**
     * Pass 1 alone: out (m x n, not y) := y R^-1 with R = chol(y^T y), or false when pass 1
     * fails (Cholesky breakdown or a graded R; out then undefined). Its columns span those of
     * y but are orthonormal only to O(u cond(y)^2): at most about 0.06 in float32 once R's
     * grading (a lower bound on cond(y)) is at most 1e3, and pass 2 is what brings that to O(u).
     */
    static boolean tryFirstPass(float[] y, int m, int n, float[] out) {
        return pass(y, m, n, new float[n * n], new double[n * n], new float[n * n], out, MAX_GRADING,
                Double.POSITIVE_INFINITY);
    }

    /**
     * The thin QR y = Q R (Q m x n, R n x n with positive diagonal), or {@code null} when y is
     * too ill-conditioned for CholeskyQR2. R = R2 R1 (the triangles of both passes, multiplied
     * in float64); with cond(y) below about u^-1/2 its residual ||y - Q R|| is O(u ||y||), as
     * for Householder (Yamamoto, Nakatsukasa, Yanagisawa and Fukaya 2015).
     */
    static Qr tryDecompose(float[] y, int m, int n) {
        float[] q = new float[Math.multiplyExact(m, n)];
        double[] r1 = new double[n * n];
        double[] r2 = new double[n * n];
        if (!run(y, m, n, q, r1, r2)) {
            return null;
        }
        float[] r = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = i; k <= j; k++) {
                    s += r2[i * n + k] * r1[k * n + j];
                }
                r[i * n + j] = (float) s;
            }
        }
        return new Qr(m, n, q, r);
    }

    /** Both passes into q; r1 and r2 receive the Cholesky factors of pass 1 and pass 2. */
    private static boolean run(float[] y, int m, int n, float[] q, double[] r1, double[] r2) {
        float[] g = new float[n * n];
        float[] rinv = new float[n * n];
        float[] q1 = new float[Math.multiplyExact(m, n)];
        if (!pass(y, m, n, g, r1, rinv, q1, MAX_GRADING, Double.POSITIVE_INFINITY)) {
            return false;
        }
        return pass(q1, m, n, g, r2, rinv, q, 10, MAX_PASS2_DEVIATION);
    }

    /** One CholeskyQR pass: r := chol(y^T y) (upper, float64), out := y r^-1. */
    private static boolean pass(float[] y, int m, int n, float[] g, double[] r, float[] rinv, float[] out,
                                double maxGrading, double maxDeviation) {
        Gemm.gemm(Transpose.YES, Transpose.NO, n, n, m, 1f, HeapMatrix.of(y, n), HeapMatrix.of(y, n), 0f, g, 0, n);
        if (upperTriangle(g, n, r) > maxDeviation || !cholesky(r, n, maxGrading)) {
            return false;
        }
        invertUpper(r, n, rinv);
        Gemm.gemm(Transpose.NO, Transpose.NO, m, n, n, 1f, HeapMatrix.of(y, n), HeapMatrix.of(rinv, n), 0f, out, 0, n);
        return true;
    }

    /**
     * r := the upper triangle of the Gram matrix g (symmetric up to rounding), in float64;
     * returns max |g - I|. A method of its own so that its n^2 loop, not the whole pass with
     * the GEMM calls it would inline, is what the JIT compiles once the loop gets hot: the pass
     * runs a few dozen times per randomized SVD, too few to be worth a C2 compile of its own
     * (77 + 61 ms of C2 time on the second factorization of extract before this split).
     */
    private static double upperTriangle(float[] g, int n, double[] r) {
        double deviation = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i * n + j] = i <= j ? g[i * n + j] : 0;
                deviation = Math.max(deviation, Math.abs(g[i * n + j] - (i == j ? 1 : 0)));
            }
        }
        return deviation;
    }

    /**
     * In-place upper Cholesky factor of the SPD matrix in a's upper triangle (right-looking,
     * so every inner loop runs along a row); false on breakdown or grading.
     */
    private static boolean cholesky(double[] a, int n, double maxGrading) {
        double maxDiag = 0;
        double minDiag = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double d = a[rj + j];
            if (!(d > 0)) {
                return false;
            }
            double rjj = Math.sqrt(d);
            a[rj + j] = rjj;
            maxDiag = Math.max(maxDiag, rjj);
            minDiag = Math.min(minDiag, rjj);
            double inv = 1 / rjj;
            for (int c = j + 1; c < n; c++) {
                a[rj + c] *= inv;
            }
            for (int i = j + 1; i < n; i++) { // trailing update G(i, i:) -= R(j, i) R(j, i:)
                double rji = a[rj + i];
                int ri = i * n;
                for (int c = i; c < n; c++) {
                    a[ri + c] -= rji * a[rj + c];
                }
            }
        }
        return maxDiag <= maxGrading * minDiag;
    }

    /** out := R^-1 (upper triangular, row-major n x n), rows from the bottom up, in float64. */
    private static void invertUpper(double[] r, int n, float[] out) {
        double[] x = new double[n * n];
        for (int i = n - 1; i >= 0; i--) {
            // row_i(X) = (e_i - sum_{k > i} R(i, k) row_k(X)) / R(i, i); row_k(X) is zero before k.
            int ri = i * n;
            x[ri + i] = 1;
            for (int k = i + 1; k < n; k++) {
                double f = r[ri + k];
                int rk = k * n;
                for (int c = k; c < n; c++) {
                    x[ri + c] -= f * x[rk + c];
                }
            }
            double inv = 1 / r[ri + i];
            for (int c = i; c < n; c++) {
                x[ri + c] *= inv;
            }
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
    }
}
