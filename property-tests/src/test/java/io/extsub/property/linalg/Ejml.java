package io.extsub.property.linalg;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** EJML (float64) references and seeded matrix generators for the linalg properties. */
final class Ejml {
    private Ejml() {}

    static DMatrixRMaj of(float[] a, int m, int n) {
        DMatrixRMaj d = new DMatrixRMaj(m, n);
        for (int i = 0; i < m * n; i++) {
            d.data[i] = a[i];
        }
        return d;
    }

    static DMatrixRMaj of(double[] a, int m, int n) {
        return new DMatrixRMaj(m, n, true, a);
    }

    static DMatrixRMaj of(float[] a, int m, int n, boolean transpose) {
        DMatrixRMaj d = of(a, m, n);
        return transpose ? CommonOps_DDRM.transpose(d, null) : d;
    }

    /** All singular values, descending (EJML's SVD, float64). */
    static double[] singularValues(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        if (!svd.decompose(a.copy())) {
            throw new AssertionError("EJML SVD failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** sqrt(sum_{i >= k} s_i^2) / ||s||: the optimal relative Frobenius error of rank k (Eckart-Young). */
    static double optimalRelativeError(double[] s, int k) {
        double tail = 0;
        double all = 0;
        for (int i = s.length - 1; i >= 0; i--) {
            all += s[i] * s[i];
            if (i >= k) {
                tail += s[i] * s[i];
            }
        }
        return all == 0 ? 0 : Math.sqrt(tail / all);
    }

    /** A random m x k matrix with orthonormal columns: Q of EJML's QR of a Gaussian matrix. */
    static DMatrixRMaj orthonormal(SplittableRandom rng, int m, int k) {
        DMatrixRMaj g = new DMatrixRMaj(m, k);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = rng.nextGaussian();
        }
        var qr = DecompositionFactory_DDRM.qr(m, k);
        qr.decompose(g);
        return qr.getQ(null, true);
    }

    /** U diag(s) V^T with random orthonormal U, V, as float32 row-major. */
    static float[] withSpectrum(SplittableRandom rng, int m, int n, double[] s) {
        int k = s.length;
        DMatrixRMaj u = orthonormal(rng, m, k);
        DMatrixRMaj v = orthonormal(rng, n, k);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                u.set(i, t, u.get(i, t) * s[t]);
            }
        }
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        CommonOps_DDRM.multTransB(u, v, a);
        float[] f = new float[m * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.data[i];
        }
        return f;
    }

    static float[] gaussian(SplittableRandom rng, int m, int n) {
        float[] x = new float[m * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** ||A - U diag(s) Vt||_F / ||A||_F in float64. */
    static double relativeError(DMatrixRMaj a, float[] u, float[] s, float[] vt, int k) {
        int m = a.numRows;
        int n = a.numCols;
        DMatrixRMaj us = new DMatrixRMaj(m, k);
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                us.set(i, t, (double) u[i * k + t] * s[t]);
            }
        }
        DMatrixRMaj approx = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(us, of(vt, k, n), approx);
        DMatrixRMaj diff = new DMatrixRMaj(m, n);
        CommonOps_DDRM.subtract(a, approx, diff);
        return org.ejml.dense.row.NormOps_DDRM.normF(diff) / Math.max(org.ejml.dense.row.NormOps_DDRM.normF(a), Double.MIN_NORMAL);
    }

    /** max |Q^T Q - I| of an m x k row-major Q. */
    static double orthogonalityError(DMatrixRMaj q) {
        DMatrixRMaj g = new DMatrixRMaj(q.numCols, q.numCols);
        CommonOps_DDRM.multTransA(q, q, g);
        double worst = 0;
        for (int i = 0; i < g.numRows; i++) {
            for (int j = 0; j < g.numCols; j++) {
                worst = Math.max(worst, Math.abs(g.get(i, j) - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }
}
