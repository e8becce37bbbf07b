package io.extsub.engine.lowrank;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.linalg.HouseholderQr;
import io.extsub.engine.linalg.JacobiSvd;
import io.extsub.engine.linalg.Qr;
import io.extsub.engine.linalg.Svd;

/**
 * Exact recompression of a low-rank pair M = B A of rank R (Bebendorf 2008, section 1.1.4;
 * the "rounding" step of hierarchical-matrix and tensor-train arithmetic):
 * B = Q_b R_b and A^T = Q_a R_a (thin Householder QR), the R x R core C = R_b R_a^T is
 * decomposed by one-sided Jacobi, C = U S V^T, so M = (Q_b U) S (Q_a V)^T is an SVD of M.
 * Keeping the top r triplets is the best rank-r approximation (Eckart-Young) and its
 * Frobenius error is exactly sqrt(sum of the dropped s_i^2): no dense m x n matrix is formed.
 *
 * <p>The singular values go into B: B' = Q_b U_r S_r, A' = (Q_a V_r)^T, so the rows of A'
 * are orthonormal, as in PEFT's {@code svd} adapter combination. The results are used as
 * LoRA factors with lora_alpha = r, where the scale 1 is already folded into B.
 */
public final class Recompression {
    private Recompression() {}

    /** The best rank-min(rank, p.rank(), rows, cols) approximation of p. */
    public static Truncation toRank(LowRankPair p, int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be >= 0, got " + rank);
        }
        Core c = core(p);
        return c.truncate(Math.min(rank, c.s.length));
    }

    /**
     * The smallest rank r >= 1 (a PEFT module needs one) whose relative Frobenius error is
     * <= tol; rank 0 only when p has no rank at all (R, rows or cols is 0).
     */
    public static Truncation toTolerance(LowRankPair p, double tol) {
        if (!(tol >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tol);
        }
        Core c = core(p);
        double[] s = c.s;
        if (s.length == 0) {
            return c.truncate(0);
        }
        double total = c.total();
        double target = tol * tol * total;
        int r = 1;
        double kept = s[0] * s[0];
        while (r < s.length && total - kept > target) {
            kept += s[r] * s[r];
            r++;
        }
        return c.truncate(r);
    }

    private static Core core(LowRankPair p) {
        int rows = p.rows();
        int cols = p.cols();
        int rr = p.rank();
        if (rows == 0 || cols == 0 || rr == 0) {
            return new Core(p, null, null, new double[0], null, null, 0, 0);
        }
        Qr qb = HouseholderQr.decomposeThin(p.b(), rows, rr);
        float[] at = new float[Math.multiplyExact(cols, rr)];
        float[] a = p.a();
        for (int i = 0; i < rr; i++) {
            for (int j = 0; j < cols; j++) {
                at[j * rr + i] = a[i * cols + j];
            }
        }
        Qr qa = HouseholderQr.decomposeThin(at, cols, rr);
        int p1 = qb.p();
        int p2 = qa.p();
        float[] rb = qb.r(); // p1 x rr
        float[] ra = qa.r(); // p2 x rr
        double[] c = new double[p1 * p2];
        for (int i = 0; i < p1; i++) {
            for (int j = 0; j < p2; j++) {
                double s = 0;
                for (int t = Math.max(i, j); t < rr; t++) { // both factors are upper triangular
                    s += (double) rb[i * rr + t] * ra[j * rr + t];
                }
                c[i * p2 + j] = s;
            }
        }
        Svd svd = JacobiSvd.decompose(c, p1, p2);
        return new Core(p, qb.q(), qa.q(), svd.s(), svd.u(), svd.vt(), p1, p2);
    }

    /** M = Q_b U diag(s) V^T Q_a^T: qb rows x p1, qa cols x p2, u p1 x k, vt k x p2. */
    private record Core(LowRankPair p, float[] qb, float[] qa, double[] s, double[] u, double[] vt, int p1, int p2) {

        double total() {
            double t = 0;
            for (double x : s) {
                t += x * x;
            }
            return t;
        }

        Truncation truncate(int r) {
            int rows = p.rows();
            int cols = p.cols();
            if (s.length == 0) {
                return new Truncation(new LowRankPair(rows, cols, 0, new float[0], new float[0]), 0, s.clone());
            }
            int k = s.length;
            float[] us = new float[p1 * r];
            for (int i = 0; i < p1; i++) {
                for (int j = 0; j < r; j++) {
                    us[i * r + j] = (float) (u[i * k + j] * s[j]);
                }
            }
            float[] vtr = new float[r * p2];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < p2; j++) {
                    vtr[i * p2 + j] = (float) vt[i * p2 + j];
                }
            }
            float[] b = new float[Math.multiplyExact(rows, r)];
            Gemm.gemm(Transpose.NO, Transpose.NO, rows, r, p1, 1f, HeapMatrix.of(qb, p1), HeapMatrix.of(us, r), 0f, b, 0, r);
            float[] a = new float[Math.multiplyExact(r, cols)];
            Gemm.gemm(Transpose.NO, Transpose.YES, r, cols, p2, 1f, HeapMatrix.of(vtr, p2), HeapMatrix.of(qa, p2), 0f, a, 0, cols);
            double total = total();
            double dropped = 0;
            for (int i = k - 1; i >= r; i--) { // smallest first: less rounding
                dropped += s[i] * s[i];
            }
            double rel = total == 0 ? 0 : Math.sqrt(dropped / total);
            return new Truncation(new LowRankPair(rows, cols, r, b, a), rel, s.clone());
        }
    }
}
