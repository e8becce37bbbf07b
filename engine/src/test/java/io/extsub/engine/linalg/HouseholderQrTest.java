package io.extsub.engine.linalg;

import static io.extsub.engine.linalg.TestMatrices.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HouseholderQrTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1L, 1, 1), Arguments.of(2L, 1, 7), Arguments.of(3L, 7, 1), Arguments.of(4L, 5, 5),
                Arguments.of(5L, 40, 33), Arguments.of(6L, 33, 70), Arguments.of(7L, 300, 40),
                Arguments.of(8L, 97, 97), Arguments.of(9L, 200, 64), Arguments.of(10L, 64, 150));
    }

    @ParameterizedTest(name = "seed={0} {1}x{2}")
    @MethodSource("shapes")
    void factorsReconstructOrthonormalTriangular(long seed, int m, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = gaussian(rng, m, n);
        float[] copy = a.clone();
        Qr qr = HouseholderQr.decompose(a, m, n, true);
        assertArrayEquals(copy, a, "input must not change");
        check(a, m, n, qr, 2e-5);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void rankDeficientAndZeroColumns(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 120;
        int n = 50;
        // rank 7, plus some all-zero columns
        float[] a = toFloat(withSpectrum(rng, m, n, new double[] {5, 4, 3, 2, 1, 0.5, 0.25}));
        for (int i = 0; i < m; i++) {
            a[i * n + 3] = 0f;
            a[i * n + 40] = 0f;
        }
        check(a, m, n, HouseholderQr.decompose(a, m, n, true), 2e-5);
        float[] zero = new float[m * n];
        check(zero, m, n, HouseholderQr.decompose(zero, m, n, true), 0);
    }

    static Stream<Long> seeds() {
        return Stream.of(11L, 12L, 13L);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void householderOrthonormalizeMatchesThinQ(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 150;
        int n = 20;
        float[] a = gaussian(rng, m, n);
        float[] q = new float[m * n];
        HouseholderQr.householderOrthonormalize(a, m, n, q);
        assertArrayEquals(HouseholderQr.decompose(a, m, n, true).q(), q, 0f);
    }

    /** Gaussian (CholeskyQR2 takes it), condition 1e6 and rank 3 (both left to Householder), m x n. */
    private static float[][] fastPathCases(long seed, int m, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] graded = new double[n];
        for (int i = 0; i < n; i++) {
            graded[i] = Math.pow(10, -6.0 * i / (n - 1));
        }
        float[] deficient = toFloat(withSpectrum(rng, m, n, new double[] {3, 2, 1}));
        return new float[][] {gaussian(rng, m, n), toFloat(withSpectrum(rng, m, n, graded)), deficient};
    }

    /** Well-conditioned: the CholeskyQR2 fast path; cond 1e6 or rank deficient: Householder. Same span either way. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void orthonormalizeSpansTheColumns(long seed) {
        int m = 400;
        int n = 30;
        float[][] inputs = fastPathCases(seed, m, n);
        boolean[] fastPathExpected = {true, false, false};
        for (int c = 0; c < inputs.length; c++) {
            float[] a = inputs[c];
            float[] q = new float[m * n];
            assertEquals(fastPathExpected[c], CholeskyQr2.tryOrthonormalize(a, m, n, q), "case " + c);
            HouseholderQr.orthonormalize(a, m, n, q);
            assertTrue(orthogonalityError(toDouble(q), m, n) < 1e-5, "case " + c + " orthonormal");
            assertSpans(q, a, m, n, "case " + c);
        }
    }

    /** Q Q^T A = A for the orthonormal m x n Q: its span holds every column of A. */
    private static void assertSpans(float[] q, float[] a, int m, int n, String what) {
        double[] qd = toDouble(q);
        double[] ad = toDouble(a);
        double[] proj = multiply(qd, multiply(transpose(qd, m, n), ad, n, m, n), m, n, n);
        assertTrue(frobeniusDiff(proj, ad) < 1e-5 * frobenius(ad), what + " span");
    }

    /**
     * basis: one CholeskyQR pass for well-conditioned tall-skinny inputs (Gaussian, and cond
     * 1e2, where one pass leaves an orthogonality error of order u cond^2), the Householder
     * fallback for cond 1e6 and rank deficiency. Either way the columns are well conditioned
     * (|B^T B - I| <= 0.06) and span those of A: A is reproduced by projecting it onto an
     * orthonormalized copy of B.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void basisSpansTheColumnsAndIsWellConditioned(long seed) {
        int m = 400, n = 30; // as the orthonormalize cases, plus cond 1e2
        double[] cond100 = new double[n];
        for (int i = 0; i < n; i++) {
            cond100[i] = Math.pow(10, -2.0 * i / (n - 1));
        }
        float[][] hard = fastPathCases(seed, m, n);
        float[][] inputs = {hard[0], toFloat(withSpectrum(new SplittableRandom(seed + 100), m, n, cond100)), hard[1], hard[2]};
        boolean[] onePass = {true, true, false, false};
        for (int c = 0; c < inputs.length; c++) {
            float[] a = inputs[c];
            float[] copy = a.clone();
            assertEquals(onePass[c], CholeskyQr2.tryFirstPass(a, m, n, new float[m * n]), "case " + c);
            float[] b = new float[m * n];
            HouseholderQr.basis(a, m, n, b);
            assertArrayEquals(copy, a, "input must not change");
            assertTrue(orthogonalityError(toDouble(b), m, n) < 0.06, "case " + c + " well conditioned");
            float[] q = new float[m * n];
            HouseholderQr.orthonormalize(b, m, n, q);
            assertSpans(q, a, m, n, "case " + c);
        }
        float[] a = hard[0];
        assertThrows(IllegalArgumentException.class, () -> HouseholderQr.basis(a, m, n, a));
    }

    /**
     * decomposeThin: CholeskyQR2's Q and R (R = R2 R1) for a well-conditioned tall-skinny
     * input, Householder's for cond 1e6 and rank deficiency; Q R = A and Q^T Q = I either way.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void decomposeThinReconstructs(long seed) {
        int m = 400;
        int n = 30;
        float[][] inputs = fastPathCases(seed, m, n);
        boolean[] fastPathExpected = {true, false, false};
        for (int c = 0; c < inputs.length; c++) {
            float[] a = inputs[c];
            float[] copy = a.clone();
            assertEquals(fastPathExpected[c], CholeskyQr2.tryDecompose(a, m, n) != null, "case " + c);
            Qr qr = HouseholderQr.decomposeThin(a, m, n);
            assertArrayEquals(copy, a, "input must not change");
            check(a, m, n, qr, 2e-5);
            if (fastPathExpected[c]) {
                for (int i = 0; i < n; i++) {
                    assertTrue(qr.r()[i * n + i] > 0, "positive diagonal of R");
                }
            }
        }
    }

    /** Q R = A, Q^T Q = I, R upper triangular; tolerances relative to ||A||_F. */
    static void check(float[] a, int m, int n, Qr qr, double tol) {
        int p = Math.min(m, n);
        double[] q = toDouble(qr.q());
        double[] r = toDouble(qr.r());
        assertEquals(m * p, q.length);
        assertEquals(p * n, r.length);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, r[i * n + j], "R below diagonal at " + i + "," + j);
            }
        }
        double[] ad = toDouble(a);
        double scale = Math.max(frobenius(ad), 1e-30);
        double rec = frobeniusDiff(multiply(q, r, m, p, n), ad) / scale;
        assertTrue(rec <= tol * Math.sqrt(Math.max(m, n)) || rec == 0, "||QR - A|| / ||A|| = " + rec);
        double orth = orthogonalityError(q, m, p);
        assertTrue(orth <= 1e-5 * Math.sqrt(m), "||Q^T Q - I||_max = " + orth);
    }
}
