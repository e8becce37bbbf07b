package io.extsub.property.linalg;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.linalg.JacobiSvd;
import io.extsub.engine.linalg.Svd;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One-sided Jacobi in float64: singular values equal EJML's, U S V^T = A, U and V orthonormal. */
class JacobiSvdVsEjmlTest {

    static Stream<Long> seeds() {
        return LongStream.range(2000, 2016).boxed();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void matchesEjml(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 1 + rng.nextInt(90);
        int n = 1 + rng.nextInt(90);
        double[] a = new double[m * n];
        int kind = rng.nextInt(3);
        int rank = kind == 2 ? rng.nextInt(Math.min(m, n) + 1) : Math.min(m, n);
        // kind 0: Gaussian; 1: graded columns (cond ~1e10); 2: exactly rank-deficient product
        if (kind == 2) {
            double[] x = new double[m * Math.max(rank, 1)];
            double[] y = new double[Math.max(rank, 1) * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = rank == 0 ? 0 : rng.nextGaussian();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextGaussian();
            }
            DMatrixRMaj p = new DMatrixRMaj(m, n);
            CommonOps_DDRM.mult(Ejml.of(x, m, Math.max(rank, 1)), Ejml.of(y, Math.max(rank, 1), n), p);
            a = p.data;
        } else {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] = rng.nextGaussian() * (kind == 1 ? Math.pow(10, -10.0 * j / Math.max(1, n - 1)) : 1);
                }
            }
        }
        Svd svd = JacobiSvd.decompose(a, m, n);
        DMatrixRMaj ad = Ejml.of(a.clone(), m, n);
        double[] ref = Ejml.singularValues(ad);
        int k = Math.min(m, n);
        assertEquals(k, svd.k());
        double top = ref.length == 0 ? 0 : ref[0];
        for (int i = 0; i < k; i++) {
            assertEquals(ref[i], svd.s()[i], 1e-13 * Math.max(top, 1e-300) + 1e-12 * ref[i], m + "x" + n + " kind " + kind + " sigma_" + i);
        }
        DMatrixRMaj u = Ejml.of(svd.u(), m, k);
        DMatrixRMaj vt = Ejml.of(svd.vt(), k, n);
        DMatrixRMaj us = u.copy();
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                us.set(i, t, us.get(i, t) * svd.s()[t]);
            }
        }
        DMatrixRMaj rec = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(us, vt, rec);
        DMatrixRMaj diff = new DMatrixRMaj(m, n);
        CommonOps_DDRM.subtract(rec, ad, diff);
        assertTrue(org.ejml.dense.row.NormOps_DDRM.normF(diff) <= 1e-13 * Math.max(org.ejml.dense.row.NormOps_DDRM.normF(ad), 1e-300) + 1e-300, "reconstruction");
        assertTrue(Ejml.orthogonalityError(u) < 1e-13, "U^T U = I");
        assertTrue(Ejml.orthogonalityError(CommonOps_DDRM.transpose(vt, null)) < 1e-13, "V^T V = I");
    }
}
