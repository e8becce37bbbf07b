package io.extsub.engine.linalg;

import static io.extsub.engine.linalg.TestMatrices.*;
import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.simd.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RandomizedSvdTest {
    static final int M = 160;
    static final int N = 120;

    static Stream<Long> seeds() {
        return Stream.of(21L, 22L);
    }

    static double[] exponential(int k, double rate) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.exp(-rate * i);
        }
        return s;
    }

    static double optimalRelativeError(double[] s, int k) {
        double tail = 0;
        double all = 0;
        for (int i = 0; i < s.length; i++) {
            all += s[i] * s[i];
            if (i >= k) {
                tail += s[i] * s[i];
            }
        }
        return Math.sqrt(tail / all);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fixedRankIsNearOptimalAndReportsItsError(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = exponential(N, 0.15);
        double[] a = withSpectrum(rng, M, N, s);
        float[] af = toFloat(a);
        int k = 10;
        LowRankSvd r = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(af, N), M, N), k,
                RandomizedSvd.Options.defaults().withSeed(seed));
        assertEquals(k, r.rank());
        for (int i = 0; i < k; i++) {
            assertEquals(s[i], r.s()[i], 1e-4 * s[0], "sigma_" + i);
        }
        double[] approx = reconstruct(toDouble(r.u()), toDouble(r.s()), toDouble(r.vt()), M, k, N);
        double actual = frobeniusDiff(approx, toDouble(af)) / frobenius(toDouble(af));
        double optimal = optimalRelativeError(s, k);
        assertTrue(actual <= optimal * 1.01, "error " + actual + " vs optimal " + optimal);
        assertEquals(actual, r.relativeError(), 1e-3 * optimal + 1e-6, "reported error");
        assertTrue(orthogonalityError(toDouble(r.u()), M, k) < 1e-5);
        assertTrue(orthogonalityError(transpose(toDouble(r.vt()), k, N), N, k) < 1e-5);
    }

    /**
     * A caller-supplied ||M||_F^2 (summed while forming M) is the error's reference: the same
     * triplets as without it, and the error follows the supplied norm, computed here from the
     * kept singular values (the reported error is sqrt((||M||^2 - sum s_i^2) / ||M||^2)).
     */
    @Test
    void suppliedNormIsTheErrorReference() {
        float[] a = gaussian(new SplittableRandom(8), 60, 45);
        double norm2 = frobenius(toDouble(a)) * frobenius(toDouble(a));
        RandomizedSvd.Options o = RandomizedSvd.Options.defaults().withSeed(4);
        LowRankSvd summed = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(a, 45), 60, 45), 6, o);
        LowRankSvd exact = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(a, 45), 60, 45, norm2), 6, o);
        LowRankSvd doubled = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(a, 45), 60, 45, 2 * norm2), 6, o);
        assertArrayEquals(summed.u(), doubled.u(), 0f);
        assertArrayEquals(summed.s(), doubled.s(), 0f);
        assertEquals(summed.relativeError(), exact.relativeError(), 1e-9);
        double kept = 0;
        for (float v : doubled.s()) {
            kept += (double) v * v;
        }
        assertEquals(Math.sqrt((2 * norm2 - kept) / (2 * norm2)), doubled.relativeError(), 1e-6);
        assertTrue(doubled.relativeError() > summed.relativeError() + 0.1, "the supplied norm was ignored");
        assertThrows(IllegalArgumentException.class, () -> LinearOperator.of(HeapMatrix.of(a, 45), 60, 45, -1));
    }

    @Test
    void sameSeedSameResult() {
        float[] a = gaussian(new SplittableRandom(3), 50, 40);
        LinearOperator op = LinearOperator.of(HeapMatrix.of(a, 40), 50, 40);
        RandomizedSvd.Options o = RandomizedSvd.Options.defaults().withSeed(99).withPowerIterations(1);
        assertArrayEquals(RandomizedSvd.fixedRank(op, 5, o).u(), RandomizedSvd.fixedRank(op, 5, o).u(), 0f);
    }

    @Test
    void differenceOfMappedHalfOperandsEqualsDenseDelta() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 70;
        int n = 50;
        float[] base = gaussian(rng, m, n);
        float[] delta = toFloat(withSpectrum(rng, m, n, new double[] {4, 2, 1, 0.5, 0.25, 0.125}));
        float[] tuned = new float[m * n];
        for (int i = 0; i < tuned.length; i++) {
            tuned[i] = base[i] + delta[i];
        }
        try (Arena arena = Arena.ofConfined()) {
            for (ElementType t : new ElementType[] {ElementType.BF16, ElementType.F16, ElementType.F32}) {
                MemorySegment bs = arena.allocate((long) m * n * t.byteSize() + 3).asSlice(3); // unaligned on purpose
                MemorySegment ts = arena.allocate((long) m * n * t.byteSize() + 1).asSlice(1);
                Kernels.get().fromFloat(base, 0, bs, 0, t, m * n);
                Kernels.get().fromFloat(tuned, 0, ts, 0, t, m * n);
                // The exact delta of the stored (rounded) values, computed independently.
                double[] stored = new double[m * n];
                SegmentMatrix bm = SegmentMatrix.rowMajor(bs, t, n);
                SegmentMatrix tm = SegmentMatrix.rowMajor(ts, t, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        stored[i * n + j] = (double) tm.get(i, j) - bm.get(i, j);
                    }
                }
                LinearOperator op = LinearOperator.difference(tm, bm, m, n);
                assertEquals(frobenius(stored) * frobenius(stored), op.frobeniusNormSquared(), 1e-9 * op.frobeniusNormSquared());
                LowRankSvd r = RandomizedSvd.fixedRank(op, 6, RandomizedSvd.Options.defaults());
                double[] approx = reconstruct(toDouble(r.u()), toDouble(r.s()), toDouble(r.vt()), m, 6, n);
                double err = frobeniusDiff(approx, stored) / frobenius(stored);
                Svd exact = JacobiSvd.decompose(stored, m, n);
                double tail = 0;
                for (int i = 6; i < exact.k(); i++) {
                    tail += exact.s()[i] * exact.s()[i];
                }
                double optimal = Math.sqrt(tail) / frobenius(stored);
                assertTrue(err <= optimal * 1.01 + 1e-6, t + ": error " + err + " optimal " + optimal);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fixedPrecisionMeetsToleranceWithNearMinimalRank(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = exponential(N, 0.1);
        float[] af = toFloat(withSpectrum(rng, M, N, s));
        LinearOperator op = LinearOperator.of(HeapMatrix.of(af, N), M, N);
        for (double tol : new double[] {0.3, 0.05, 0.01}) {
            LowRankSvd r = RandomizedSvd.fixedPrecision(op, tol, N,
                    new RandomizedSvd.Options(10, -1, seed, 8));
            double[] approx = reconstruct(toDouble(r.u()), toDouble(r.s()), toDouble(r.vt()), M, r.rank(), N);
            double actual = frobeniusDiff(approx, toDouble(af)) / frobenius(toDouble(af));
            assertTrue(actual <= tol * 1.001, "tol " + tol + ": error " + actual + " at rank " + r.rank());
            assertEquals(actual, r.relativeError(), 1e-3 * tol, "reported error");
            int minimal = 1;
            while (optimalRelativeError(s, minimal) > tol) {
                minimal++;
            }
            assertTrue(r.rank() <= minimal + 1, "rank " + r.rank() + " vs minimal " + minimal);
        }
    }

    @Test
    void zeroAndRankDeficientMatrices() {
        LinearOperator zero = LinearOperator.of(HeapMatrix.of(new float[30 * 20], 20), 30, 20);
        LowRankSvd z = RandomizedSvd.fixedRank(zero, 4, RandomizedSvd.Options.defaults());
        assertEquals(4, z.rank());
        assertArrayEquals(new float[4], z.s());
        assertEquals(0, z.relativeError());
        LowRankSvd zp = RandomizedSvd.fixedPrecision(zero, 0.1, 20, RandomizedSvd.Options.defaults());
        assertEquals(1, zp.rank());

        float[] a = toFloat(withSpectrum(new SplittableRandom(9), 30, 20, new double[] {2, 1}));
        LowRankSvd r = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(a, 20), 30, 20), 5, RandomizedSvd.Options.defaults());
        assertEquals(2, r.s()[0], 1e-5);
        assertEquals(1, r.s()[1], 1e-5);
        assertTrue(r.s()[2] < 1e-5);
        assertTrue(r.relativeError() < 1e-3);
        assertTrue(orthogonalityError(toDouble(r.u()), 30, 5) < 1e-5, "U orthonormal even beyond the rank");
    }
}
