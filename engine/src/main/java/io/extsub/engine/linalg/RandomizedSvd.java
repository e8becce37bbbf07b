package io.extsub.engine.linalg;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.Kernels;
import java.util.SplittableRandom;

/**
 * Randomized SVD of a {@link LinearOperator} (Halko, Martinsson and Tropp 2011, "Finding
 * structure with randomness", Algorithms 4.4 and 5.1), touching the matrix only through
 * GEMMs with thin blocks.
 *
 * <p>Fixed rank: Y = M Omega with a seeded Gaussian Omega of k + oversampling columns,
 * q power iterations with a QR normalization after every product (Algorithm 4.4: without it
 * the columns of (M M^T)^q M Omega collapse onto the top singular vector in float32), then
 * B^T = M^T Q, B^T = Q_b R and a Jacobi SVD of the small R^T. Inside the iterations a
 * well-conditioned basis of the span is enough ({@link HouseholderQr#basis}, one CholeskyQR
 * pass; scikit-learn uses LU there); Q, whose orthonormality the error identity below relies
 * on, gets the full {@link HouseholderQr#orthonormalize}. Defaults follow scikit-learn's
 * {@code randomized_svd}: oversampling 10, q = 7 when k < 0.1 min(m, n), else 4.
 *
 * <p>Fixed precision: randQB_EI (Yu, Gu and Li 2018, Algorithm 2). The basis grows by
 * blocks, each made orthogonal to the previous ones, and the error is tracked for free
 * through ||M - QB||_F^2 = ||M||_F^2 - ||B||_F^2 (exact when Q has orthonormal columns).
 * The final rank is the smallest one whose error, computed from the same identity with the
 * singular values of B, is within the tolerance. The identity subtracts nearly equal
 * numbers: with float32 products it resolves relative errors down to about 1e-3.
 */
public final class RandomizedSvd {

    /**
     * @param oversampling    extra sketch columns (p in HMT 2011)
     * @param powerIterations q; negative selects the default (see the class comment)
     * @param seed            seed of the Gaussian sketch; same seed, same result
     * @param blockSize       columns added per step in fixed-precision mode
     */
    public record Options(int oversampling, int powerIterations, long seed, int blockSize) {
        public Options {
            if (oversampling < 0 || blockSize < 1) {
                throw new IllegalArgumentException("oversampling must be >= 0 and blockSize >= 1");
            }
        }

        public static Options defaults() {
            return new Options(10, -1, 0x5eed_0001L, 32);
        }

        public Options withSeed(long s) {
            return new Options(oversampling, powerIterations, s, blockSize);
        }

        public Options withPowerIterations(int q) {
            return new Options(oversampling, q, seed, blockSize);
        }
    }

    private RandomizedSvd() {}

    /** The scikit-learn default number of power iterations for rank k of an m x n matrix. */
    public static int defaultPowerIterations(int k, int m, int n) {
        return k < 0.1 * Math.min(m, n) ? 7 : 4;
    }

    /** Rank-k approximation (k capped at min(m, n)) with its exact relative Frobenius error. */
    public static LowRankSvd fixedRank(LinearOperator a, int k, Options o) {
        int m = a.rows();
        int n = a.cols();
        int mn = Math.min(m, n);
        if (k < 0) {
            throw new IllegalArgumentException("rank must be >= 0, got " + k);
        }
        k = Math.min(k, mn);
        int l = Math.min(k + o.oversampling(), mn);
        int q = o.powerIterations() >= 0 ? o.powerIterations() : defaultPowerIterations(k, m, n);
        double norm2 = a.frobeniusNormSquared();
        if (k == 0 || norm2 == 0) {
            return zero(m, n, k);
        }
        SplittableRandom rng = new SplittableRandom(o.seed());
        float[] omega = gaussian(rng, Math.multiplyExact(n, l));
        float[] y = new float[Math.multiplyExact(m, l)];
        float[] z = new float[Math.multiplyExact(n, l)];
        float[] yBasis = q > 0 ? new float[y.length] : null;
        float[] zBasis = q > 0 ? new float[z.length] : null;
        a.multiply(Transpose.NO, l, 1f, omega, 0, l, 0f, y, 0, l);
        for (int it = 0; it < q; it++) {
            HouseholderQr.basis(y, m, l, yBasis);
            a.multiply(Transpose.YES, l, 1f, yBasis, 0, l, 0f, z, 0, l);
            HouseholderQr.basis(z, n, l, zBasis);
            a.multiply(Transpose.NO, l, 1f, zBasis, 0, l, 0f, y, 0, l);
        }
        HouseholderQr.orthonormalize(y, m, l, y); // Q
        a.multiply(Transpose.YES, l, 1f, y, 0, l, 0f, z, 0, l); // B^T = M^T Q
        return finish(y, l, z, n, m, l, k, norm2, -1);
    }

    /**
     * The smallest rank (at least 1, at most maxRank) whose relative Frobenius error is
     * <= tol, by randQB_EI; the achieved error is in the result (it exceeds tol only when
     * maxRank stops the search).
     */
    public static LowRankSvd fixedPrecision(LinearOperator a, double tol, int maxRank, Options o) {
        int m = a.rows();
        int n = a.cols();
        if (!(tol >= 0) || maxRank < 1) {
            throw new IllegalArgumentException("need tol >= 0 and maxRank >= 1");
        }
        maxRank = Math.min(maxRank, Math.min(m, n));
        double norm2 = a.frobeniusNormSquared();
        if (maxRank == 0 || norm2 == 0) {
            return zero(m, n, Math.min(1, maxRank));
        }
        int q = o.powerIterations() >= 0 ? o.powerIterations() : 4;
        double target = tol * tol * norm2;
        SplittableRandom rng = new SplittableRandom(o.seed());
        int cap = Math.min(maxRank, Math.max(2 * o.blockSize(), 64));
        float[] qAll = new float[Math.multiplyExact(m, cap)];
        float[] btAll = new float[Math.multiplyExact(n, cap)];
        int kk = 0;
        double e = norm2;
        while (kk < maxRank && (kk == 0 || e > target)) {
            int b = Math.min(o.blockSize(), maxRank - kk);
            if (kk + b > cap) {
                int newCap = Math.min(maxRank, Math.max(2 * cap, kk + b));
                qAll = widen(qAll, m, cap, newCap);
                btAll = widen(btAll, n, cap, newCap);
                cap = newCap;
            }
            float[] omega = gaussian(rng, Math.multiplyExact(n, b));
            float[] y = new float[Math.multiplyExact(m, b)];
            float[] z = new float[Math.multiplyExact(n, b)];
            float[] small = new float[Math.multiplyExact(Math.max(kk, 1), b)];
            // Y = (M - Q B) Omega
            a.multiply(Transpose.NO, b, 1f, omega, 0, b, 0f, y, 0, b);
            deflate(qAll, btAll, cap, kk, m, n, b, omega, y, small);
            HouseholderQr.orthonormalize(y, m, b, y);
            for (int it = 0; it < q; it++) {
                // Z = (M - Q B)^T Y = M^T Y - B^T (Q^T Y)
                a.multiply(Transpose.YES, b, 1f, y, 0, b, 0f, z, 0, b);
                deflate(btAll, qAll, cap, kk, n, m, b, y, z, small);
                HouseholderQr.orthonormalize(z, n, b, z);
                a.multiply(Transpose.NO, b, 1f, z, 0, b, 0f, y, 0, b);
                deflate(qAll, btAll, cap, kk, m, n, b, z, y, small);
                HouseholderQr.orthonormalize(y, m, b, y);
            }
            if (kk > 0) {
                // Re-orthogonalize against the basis so far (Yu-Gu-Li, Algorithm 2, step 8).
                HeapMatrix qm = new HeapMatrix(qAll, 0, cap);
                Gemm.gemm(Transpose.YES, Transpose.NO, kk, b, m, 1f, qm, HeapMatrix.of(y, b), 0f, small, 0, b);
                Gemm.gemm(Transpose.NO, Transpose.NO, m, b, kk, -1f, qm, HeapMatrix.of(small, b), 1f, y, 0, b);
                HouseholderQr.orthonormalize(y, m, b, y);
            }
            a.multiply(Transpose.YES, b, 1f, y, 0, b, 0f, z, 0, b); // B_i^T = M^T Q_i
            e -= Kernels.get().sumOfSquares(z, 0, z.length);
            for (int i = 0; i < m; i++) {
                System.arraycopy(y, i * b, qAll, i * cap + kk, b);
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(z, i * b, btAll, i * cap + kk, b);
            }
            kk += b;
        }
        return finish(qAll, cap, btAll, n, m, kk, -1, norm2, target);
    }

    /**
     * out -= left (right^T x): with (left, right) = (Q, B^T) this is Y -= Q (B x), with
     * (B^T, Q) it is Z -= B^T (Q^T x). Both factors are stored with row stride cap, kk columns.
     */
    private static void deflate(float[] left, float[] right, int cap, int kk, int leftRows, int rightRows,
                                int b, float[] x, float[] out, float[] small) {
        if (kk == 0) {
            return;
        }
        Gemm.gemm(Transpose.YES, Transpose.NO, kk, b, rightRows, 1f, new HeapMatrix(right, 0, cap),
                HeapMatrix.of(x, b), 0f, small, 0, b);
        Gemm.gemm(Transpose.NO, Transpose.NO, leftRows, b, kk, -1f, new HeapMatrix(left, 0, cap),
                HeapMatrix.of(small, b), 1f, out, 0, b);
    }

    /**
     * From Q (m x l) and B^T = M^T Q (n x l), both with row stride ld: B^T = Q_b R,
     * R^T = U_r S V_r^T (Jacobi), so M ~ (Q U_r) S (Q_b V_r)^T. Keeps {@code k} triplets, or
     * when k < 0 the fewest whose error ||M||^2 - sum s_i^2 is <= target (at least one).
     */
    private static LowRankSvd finish(float[] q, int ld, float[] bt, int n, int m, int l, int k,
                                     double norm2, double target) {
        float[] btDense = bt;
        if (ld != l) {
            btDense = new float[Math.multiplyExact(n, l)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(bt, i * ld, btDense, i * l, l);
            }
        }
        Qr qrB = HouseholderQr.decomposeThin(btDense, n, l); // l <= n
        float[] r = qrB.r(); // l x l
        double[] rt = new double[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                rt[j * l + i] = r[i * l + j];
            }
        }
        Svd core = JacobiSvd.decompose(rt, l, l);
        double[] s = core.s();
        int rank;
        double kept = 0;
        if (k >= 0) {
            rank = Math.min(k, l);
            for (int i = 0; i < rank; i++) {
                kept += s[i] * s[i];
            }
        } else {
            rank = 0;
            while (rank < l && (rank == 0 || norm2 - kept > target)) {
                kept += s[rank] * s[rank];
                rank++;
            }
        }
        double err = Math.sqrt(Math.max(0, norm2 - kept) / norm2);
        float[] ur = toFloat(core.u());
        float[] vrt = toFloat(core.vt()); // V_r^T, l x l
        float[] u = new float[Math.multiplyExact(m, rank)];
        Gemm.gemm(Transpose.NO, Transpose.NO, m, rank, l, 1f, new HeapMatrix(q, 0, ld), HeapMatrix.of(ur, l), 0f, u, 0, rank);
        float[] vt = new float[Math.multiplyExact(rank, n)];
        Gemm.gemm(Transpose.NO, Transpose.YES, rank, n, l, 1f, HeapMatrix.of(vrt, l), HeapMatrix.of(qrB.q(), l), 0f, vt, 0, n);
        float[] sv = new float[rank];
        for (int i = 0; i < rank; i++) {
            sv[i] = (float) s[i];
        }
        return new LowRankSvd(m, n, u, sv, vt, err);
    }

    private static LowRankSvd zero(int m, int n, int k) {
        // A zero matrix: any orthonormal vectors with zero singular values.
        float[] u = new float[Math.multiplyExact(m, k)];
        float[] vt = new float[Math.multiplyExact(k, n)];
        for (int i = 0; i < k; i++) {
            u[i * k + i] = 1f;
            vt[i * n + i] = 1f;
        }
        return new LowRankSvd(m, n, u, new float[k], vt, 0);
    }

    private static float[] gaussian(SplittableRandom rng, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static float[] widen(float[] x, int rows, int cap, int newCap) {
        float[] y = new float[Math.multiplyExact(rows, newCap)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * cap, y, i * newCap, cap);
        }
        return y;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
