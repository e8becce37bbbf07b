package io.extsub.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.simd.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ||M||_F^2 of stored and difference operators against a float64 loop, below and above the split into parts. */
class FrobeniusNormTest {

    @ParameterizedTest(name = "seed={0} {1}x{2} shared={3}")
    @CsvSource({"1, 30, 20, true", "2, 1100, 1000, true", "3, 1100, 1000, false", "4, 3, 700000, true"})
    void matchesFloat64Loop(long seed, int m, int n, boolean shared) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] t = new float[m * n];
        float[] b = new float[m * n];
        double wantStored = 0;
        double wantDiff = 0;
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
            wantStored += (double) t[i] * t[i];
            double d = (double) t[i] - b[i];
            wantDiff += d * d;
        }
        try (Arena arena = shared ? Arena.ofShared() : Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) m * n * 4 + 1, 1);
            Kernels.scalar().fromFloat(b, 0, seg, 1, ElementType.F32, m * n);
            SegmentMatrix base = new SegmentMatrix(seg, 1, ElementType.F32, n, 1);
            double tol = 1e-12 * wantStored;
            assertEquals(wantStored, LinearOperator.of(HeapMatrix.of(t, n), m, n).frobeniusNormSquared(), tol);
            assertEquals(wantDiff, LinearOperator.difference(HeapMatrix.of(t, n), base, m, n).frobeniusNormSquared(), 1e-12 * wantDiff);
        }
    }
}
