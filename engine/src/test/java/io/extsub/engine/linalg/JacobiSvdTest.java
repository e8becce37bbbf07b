package io.extsub.engine.linalg;

import static io.extsub.engine.linalg.TestMatrices.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JacobiSvdTest {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(1L, 30, 12), Arguments.of(2L, 12, 30), Arguments.of(3L, 25, 25),
                Arguments.of(4L, 1, 9), Arguments.of(5L, 9, 1), Arguments.of(6L, 60, 40));
    }

    @ParameterizedTest(name = "seed={0} {1}x{2}")
    @MethodSource("cases")
    void recoversKnownSpectrum(long seed, int m, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = Math.min(m, n);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.pow(10, -8.0 * i / Math.max(1, k - 1)); // condition number 1e8
        }
        double[] a = withSpectrum(rng, m, n, s);
        Svd svd = JacobiSvd.decompose(a, m, n);
        for (int i = 0; i < k; i++) {
            // Entries of a carry rounding of order 1e-16 |A|, so small values are known to that absolute level.
            assertEquals(s[i], svd.s()[i], 1e-13 + 1e-12 * s[i], "sigma_" + i);
        }
        checkFactors(a, m, n, svd, 1e-13);
    }

    @Test
    void rankDeficientAndZero() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = withSpectrum(rng, 20, 15, new double[] {3, 2, 1});
        Svd svd = JacobiSvd.decompose(a, 20, 15);
        assertEquals(3, svd.s()[0], 1e-13);
        for (int i = 3; i < 15; i++) {
            assertTrue(svd.s()[i] < 1e-14, "sigma_" + i + " = " + svd.s()[i]);
        }
        checkFactors(a, 20, 15, svd, 1e-13);

        Svd z = JacobiSvd.decompose(new double[6 * 4], 6, 4);
        assertArrayEquals(new double[4], z.s());
        checkFactors(new double[24], 6, 4, z, 0);

        Svd row = JacobiSvd.decompose(new double[] {3, 0, 4}, 1, 3);
        assertEquals(5, row.s()[0], 1e-15);
        checkFactors(new double[] {3, 0, 4}, 1, 3, row, 1e-15);
    }

    @Test
    void descendingNonNegative() {
        SplittableRandom rng = new SplittableRandom(8);
        float[] a = gaussian(rng, 17, 11);
        Svd svd = JacobiSvd.decompose(a, 17, 11);
        double[] sorted = svd.s().clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(sorted[sorted.length - 1 - i], svd.s()[i]);
            assertTrue(svd.s()[i] >= 0);
        }
        checkFactors(toDouble(a), 17, 11, svd, 1e-13);
    }

    static void checkFactors(double[] a, int m, int n, Svd svd, double tol) {
        int k = Math.min(m, n);
        assertEquals(k, svd.k());
        double scale = Math.max(frobenius(a), 1);
        double rec = frobeniusDiff(reconstruct(svd.u(), svd.s(), svd.vt(), m, k, n), a) / scale;
        assertTrue(rec <= tol, "reconstruction " + rec);
        assertTrue(orthogonalityError(svd.u(), m, k) < 1e-13, "U not orthonormal");
        assertTrue(orthogonalityError(transpose(svd.vt(), k, n), n, k) < 1e-13, "V not orthonormal");
    }
}
