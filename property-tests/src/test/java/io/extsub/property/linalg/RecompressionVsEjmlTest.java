package io.extsub.property.linalg;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.lowrank.LowRankPair;
import io.extsub.engine.lowrank.Recompression;
import io.extsub.engine.lowrank.Truncation;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recompression of B A: the error equals the dropped singular values of the dense B A (EJML). */
class RecompressionVsEjmlTest {

    static Stream<Long> seeds() {
        return LongStream.range(4000, 4012).boxed();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void errorEqualsDroppedSingularValues(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 1 + rng.nextInt(200);
        int cols = 1 + rng.nextInt(200);
        int rank = 1 + rng.nextInt(40);
        float[] b = Ejml.gaussian(rng, rows, rank);
        float[] a = Ejml.gaussian(rng, rank, cols);
        // Graded columns of B so the spectrum decays (and ties are unlikely).
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rank; j++) {
                b[i * rank + j] *= (float) Math.pow(0.8, j);
            }
        }
        LowRankPair p = new LowRankPair(rows, cols, rank, b, a);
        DMatrixRMaj dense = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(Ejml.of(b, rows, rank), Ejml.of(a, rank, cols), dense);
        double[] s = Ejml.singularValues(dense);
        double norm = org.ejml.dense.row.NormOps_DDRM.normF(dense);
        int kmax = Math.min(rank, Math.min(rows, cols));
        for (int r = 0; r <= kmax; r++) {
            Truncation t = Recompression.toRank(p, r);
            assertEquals(r, t.pair().rank());
            double expected = Ejml.optimalRelativeError(s, r);
            assertEquals(expected, t.relativeError(), 1e-5, "reported error at rank " + r);
            DMatrixRMaj approx = new DMatrixRMaj(rows, cols);
            CommonOps_DDRM.mult(Ejml.of(t.pair().b(), rows, r), Ejml.of(t.pair().a(), r, cols), approx);
            DMatrixRMaj diff = new DMatrixRMaj(rows, cols);
            CommonOps_DDRM.subtract(dense, approx, diff);
            assertEquals(expected, org.ejml.dense.row.NormOps_DDRM.normF(diff) / norm, 1e-5, "actual error at rank " + r);
        }
        Truncation full = Recompression.toRank(p, rank);
        for (int i = 0; i < kmax; i++) {
            assertEquals(s[i], full.singularValues()[i], 1e-5 * s[0], "sigma_" + i);
        }
        for (double tol : new double[] {0.5, 0.1, 0.01}) {
            Truncation t = Recompression.toTolerance(p, tol);
            int r = t.pair().rank();
            assertTrue(Ejml.optimalRelativeError(s, r) <= tol + 1e-6, "tol " + tol + " met");
            assertTrue(r == 1 || Ejml.optimalRelativeError(s, r - 1) > tol - 1e-6, "tol " + tol + " rank " + r + " smallest");
        }
    }
}
