package io.extsub.property.linalg;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.linalg.LinearOperator;
import io.extsub.engine.linalg.LowRankSvd;
import io.extsub.engine.linalg.RandomizedSvd;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized SVD against EJML's full SVD: on exponential, polynomial and flat (Gaussian)
 * spectra the rank-k error is within 1% of the optimal rank-k error; the fixed-precision
 * mode meets its tolerance and reports the error it achieved.
 */
class RandomizedSvdVsEjmlTest {
    static final int M = 220;
    static final int N = 180;

    enum Spectrum { EXPONENTIAL, POLYNOMIAL, GAUSSIAN }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 3000;
        for (Spectrum s : Spectrum.values()) {
            for (int k : new int[] {8, 24}) {
                out.add(Arguments.of(seed++, s, k));
            }
        }
        return out.stream();
    }

    static float[] matrix(SplittableRandom rng, Spectrum kind) {
        int p = Math.min(M, N);
        double[] s = new double[p];
        switch (kind) {
            case GAUSSIAN -> {
                return Ejml.gaussian(rng, M, N);
            }
            case EXPONENTIAL -> {
                for (int i = 0; i < p; i++) {
                    s[i] = Math.exp(-i / 6.0);
                }
            }
            case POLYNOMIAL -> {
                for (int i = 0; i < p; i++) {
                    s[i] = 1 / Math.pow(i + 1, 1.5);
                }
            }
        }
        return Ejml.withSpectrum(rng, M, N, s);
    }

    @ParameterizedTest(name = "seed={0} {1} k={2}")
    @MethodSource("cases")
    void fixedRankWithinOnePercentOfOptimal(long seed, Spectrum kind, int k) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = matrix(rng, kind);
        DMatrixRMaj ad = Ejml.of(a, M, N);
        double optimal = Ejml.optimalRelativeError(Ejml.singularValues(ad), k);
        LowRankSvd r = RandomizedSvd.fixedRank(LinearOperator.of(HeapMatrix.of(a, N), M, N), k,
                RandomizedSvd.Options.defaults().withSeed(seed));
        assertEquals(k, r.rank());
        double actual = Ejml.relativeError(ad, r.u(), r.s(), r.vt(), k);
        assertTrue(actual <= 1.01 * optimal, kind + " k=" + k + ": error " + actual + " optimal " + optimal);
        assertEquals(actual, r.relativeError(), 2e-3 * optimal, "reported error");
        assertTrue(Ejml.orthogonalityError(Ejml.of(r.u(), M, k)) < 1e-5, "U orthonormal");
        assertTrue(Ejml.orthogonalityError(Ejml.of(r.vt(), k, N, true)) < 1e-5, "V orthonormal");
    }

    static Stream<Arguments> tolerances() {
        List<Arguments> out = new ArrayList<>();
        long seed = 3100;
        for (Spectrum s : new Spectrum[] {Spectrum.EXPONENTIAL, Spectrum.POLYNOMIAL}) {
            for (double tol : new double[] {0.2, 0.05, 0.01}) {
                out.add(Arguments.of(seed++, s, tol));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "seed={0} {1} tol={2}")
    @MethodSource("tolerances")
    void fixedPrecisionMeetsTolerance(long seed, Spectrum kind, double tol) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = matrix(rng, kind);
        DMatrixRMaj ad = Ejml.of(a, M, N);
        double[] s = Ejml.singularValues(ad);
        LowRankSvd r = RandomizedSvd.fixedPrecision(LinearOperator.of(HeapMatrix.of(a, N), M, N), tol, N,
                new RandomizedSvd.Options(10, -1, seed, 16));
        double actual = Ejml.relativeError(ad, r.u(), r.s(), r.vt(), r.rank());
        assertTrue(actual <= tol, kind + " tol " + tol + ": error " + actual + " at rank " + r.rank());
        assertEquals(actual, r.relativeError(), 2e-3 * tol, "reported error");
        int minimal = 1;
        while (Ejml.optimalRelativeError(s, minimal) > tol) {
            minimal++;
        }
        // Near-minimal: within 5% (at least 1) of the smallest rank any method could use.
        assertTrue(r.rank() <= minimal + Math.max(1, minimal / 20), "rank " + r.rank() + " minimal " + minimal);
    }
}
