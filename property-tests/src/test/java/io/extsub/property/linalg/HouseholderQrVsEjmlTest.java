package io.extsub.property.linalg;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.linalg.HouseholderQr;
import io.extsub.engine.linalg.Qr;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Householder QR: Q R = A, Q^T Q = I, R upper triangular, |diag R| as EJML's. */
class HouseholderQrVsEjmlTest {

    static Stream<Long> seeds() {
        return LongStream.range(1000, 1012).boxed();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomShapes(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 1 + rng.nextInt(260);
        int n = 1 + rng.nextInt(rng.nextBoolean() ? 80 : 260);
        float[] a = Ejml.gaussian(rng, m, n);
        check(a, m, n, 1e-6, true);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void illConditionedTallSkinny(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 300 + rng.nextInt(200);
        int n = 20 + rng.nextInt(60);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(10, -7.0 * i / (n - 1)); // cond 1e7: near float32's limit
        }
        float[] a = Ejml.withSpectrum(rng, m, n, s);
        check(a, m, n, 1e-6, false);
    }

    /**
     * Backward-stability bounds for float32 Householder QR (Higham, Accuracy and Stability,
     * Theorem 19.4): ||QR - A|| and ||Q^T Q - I|| of order sqrt(m) n u, independent of the
     * condition number.
     */
    static void check(float[] a, int m, int n, double unit, boolean compareDiag) {
        int p = Math.min(m, n);
        Qr qr = HouseholderQr.decompose(a, m, n, true);
        DMatrixRMaj ad = Ejml.of(a, m, n);
        DMatrixRMaj q = Ejml.of(qr.q(), m, p);
        DMatrixRMaj r = Ejml.of(qr.r(), p, n);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, r.get(i, j), "R(" + i + "," + j + ")");
            }
        }
        DMatrixRMaj qrProduct = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(q, r, qrProduct);
        DMatrixRMaj diff = new DMatrixRMaj(m, n);
        CommonOps_DDRM.subtract(qrProduct, ad, diff);
        double bound = 10 * Math.sqrt(m) * unit * Math.max(1, Math.sqrt(n));
        double rec = org.ejml.dense.row.NormOps_DDRM.normF(diff) / org.ejml.dense.row.NormOps_DDRM.normF(ad);
        assertTrue(rec <= bound, m + "x" + n + ": ||QR - A||/||A|| = " + rec + " > " + bound);
        double orth = Ejml.orthogonalityError(q);
        assertTrue(orth <= bound, m + "x" + n + ": ||Q^T Q - I|| = " + orth + " > " + bound);
        if (compareDiag) {
            var ref = DecompositionFactory_DDRM.qr(m, n);
            assertTrue(ref.decompose(ad.copy()));
            DMatrixRMaj rr = ref.getR(null, true);
            for (int i = 0; i < p; i++) {
                double expected = Math.abs(rr.get(i, i));
                assertEquals(expected, Math.abs(r.get(i, i)), 1e-4 * Math.abs(rr.get(0, 0)) + 1e-5 * expected, "|R(" + i + "," + i + ")|");
            }
        }
    }
}
