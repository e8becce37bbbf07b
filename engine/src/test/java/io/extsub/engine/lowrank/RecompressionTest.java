package io.extsub.engine.lowrank;

import static io.extsub.engine.linalg.TestMatrices.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecompressionTest {

    static Stream<Long> seeds() {
        return Stream.of(31L, 32L, 33L);
    }

    /** B A with B rows x r and A r x cols chosen so that B A has singular values s (r = s.length + extra). */
    static LowRankPair pairWithSpectrum(SplittableRandom rng, int rows, int cols, double[] s, int extra) {
        int k = s.length;
        int r = k + extra;
        double[] u = orthonormalColumns(rng, rows, k);
        double[] v = orthonormalColumns(rng, cols, k);
        // B = [U S, 0] G^-1-free mixing: B = U S M, A = M^-1 V^T with a random well-conditioned
        // M (k x r, right-inverse), here M = [I 0] + small noise handled by using W (r x k) orthonormal:
        double[] w = orthonormalColumns(rng, r, k); // W^T W = I
        double[] b = new double[rows * r];
        double[] a = new double[r * cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < k; t++) {
                for (int c = 0; c < r; c++) {
                    b[i * r + c] += u[i * k + t] * s[t] * w[c * k + t]; // B = U S W^T
                }
            }
        }
        for (int c = 0; c < r; c++) {
            for (int t = 0; t < k; t++) {
                for (int j = 0; j < cols; j++) {
                    a[c * cols + j] += w[c * k + t] * v[j * k + t]; // A = W V^T, so B A = U S V^T
                }
            }
        }
        return new LowRankPair(rows, cols, r, toFloat(b), toFloat(a));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void errorEqualsDroppedSingularValues(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = {10, 7, 5, 3, 2, 1, 0.5, 0.25};
        LowRankPair p = pairWithSpectrum(rng, 90, 70, s, 4);
        double[] dense = multiply(toDouble(p.b()), toDouble(p.a()), 90, 12, 70);
        for (int r = 0; r <= 8; r++) {
            Truncation t = Recompression.toRank(p, r);
            assertEquals(r, t.pair().rank());
            double dropped = 0;
            double all = 0;
            for (int i = 0; i < s.length; i++) {
                all += s[i] * s[i];
                if (i >= r) {
                    dropped += s[i] * s[i];
                }
            }
            double expected = Math.sqrt(dropped / all);
            assertEquals(expected, t.relativeError(), 1e-5, "reported error at rank " + r);
            double[] approx = multiply(toDouble(t.pair().b()), toDouble(t.pair().a()), 90, r, 70);
            double actual = frobeniusDiff(approx, dense) / frobenius(dense);
            assertEquals(expected, actual, 1e-5, "actual error at rank " + r);
            for (int i = 0; i < s.length; i++) {
                assertEquals(s[i], t.singularValues()[i], 1e-5 * s[0]);
            }
            // Singular values live in B: rows of A orthonormal.
            assertTrue(orthogonalityError(transpose(toDouble(t.pair().a()), r, 70), 70, r) < 1e-5);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void toleranceGivesSmallestRank(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = {10, 7, 5, 3, 2, 1, 0.5, 0.25};
        LowRankPair p = pairWithSpectrum(rng, 40, 60, s, 3);
        double all = 0;
        for (double x : s) {
            all += x * x;
        }
        for (double tol : new double[] {0.0, 0.01, 0.1, 0.3, 0.9, 2.0}) {
            Truncation t = Recompression.toTolerance(p, tol);
            int expected = 1;
            while (true) {
                double dropped = 0;
                for (int i = expected; i < s.length; i++) {
                    dropped += s[i] * s[i];
                }
                if (Math.sqrt(dropped / all) <= tol || expected >= 11) {
                    break;
                }
                expected++;
            }
            if (tol == 0.0) {
                assertTrue(t.pair().rank() >= 8, "tol 0 keeps the whole numerical rank");
            } else {
                assertEquals(expected, t.pair().rank(), "tol " + tol);
                assertTrue(t.relativeError() <= tol);
            }
        }
    }

    @Test
    void degenerate() {
        LowRankPair zero = new LowRankPair(5, 4, 2, new float[10], new float[8]);
        Truncation t = Recompression.toTolerance(zero, 0.1);
        assertEquals(1, t.pair().rank());
        assertEquals(0, t.relativeError());
        assertArrayEquals(new float[20], t.pair().toDense());
        LowRankPair empty = new LowRankPair(5, 4, 0, new float[0], new float[0]);
        assertEquals(0, Recompression.toRank(empty, 3).pair().rank());
        // rank larger than a dimension
        LowRankPair wide = new LowRankPair(2, 3, 5, gaussian(new SplittableRandom(1), 2, 5), gaussian(new SplittableRandom(2), 5, 3));
        Truncation w = Recompression.toRank(wide, 5);
        assertEquals(2, w.pair().rank());
        assertEquals(0, w.relativeError(), 1e-6);
        double[] exact = multiply(toDouble(wide.b()), toDouble(wide.a()), 2, 5, 3);
        assertTrue(frobeniusDiff(toDouble(w.pair().toDense()), exact) < 1e-5 * frobenius(exact));
    }
}
