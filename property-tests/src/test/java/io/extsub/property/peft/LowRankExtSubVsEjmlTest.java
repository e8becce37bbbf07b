package io.extsub.property.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.engine.extsub.DegenerateRows;
import io.extsub.engine.extsub.ExtSubResult;
import io.extsub.engine.extsub.LowRankExtSub;
import io.extsub.engine.extsub.LowRankOperand;
import io.extsub.engine.lowrank.LowRankPair;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The factored Ext-Sub, subtraction and addition (engine) equal the dense row-by-row
 * definition computed with EJML, for random shapes, ranks, alphas and scalings, including
 * planted degenerate rows (zero anti-expert rows, zero expert rows, antiparallel rows).
 */
class LowRankExtSubVsEjmlTest {

    static LongStream seeds() {
        return LongStream.range(0, 60).map(i -> 0x5eed0000L + i);
    }

    record Case(LowRankOperand x, LowRankOperand y, double alpha, int zeroAnti, int zeroExpert, int antiparallel) {}

    static Case draw(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(70), cols = 1 + rnd.nextInt(70);
        int r1 = 1 + rnd.nextInt(12), r2 = 1 + rnd.nextInt(12);
        double alpha = rnd.nextDouble() * 3;
        double s1 = Math.exp(rnd.nextDouble() * 4 - 2), s2 = rnd.nextBoolean() ? s1 : Math.exp(rnd.nextDouble() * 4 - 2);
        float[] b1 = fill(rnd, rows * r1), a1 = fill(rnd, r1 * cols), b2 = fill(rnd, rows * r2), a2 = fill(rnd, r2 * cols);
        int zeroAnti = 0, zeroExpert = 0, anti = 0;
        boolean plantAntiparallel = rnd.nextInt(3) == 0 && rows > 3;
        if (plantAntiparallel) {
            // Anti-expert = expert's A, rows 0..1 of B2 = -2 * B1 rows: w2 = -(2 s2/s1) w1 there.
            r2 = r1;
            a2 = a1.clone();
            b2 = fill(rnd, rows * r2);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < r1; j++) {
                    b2[i * r2 + j] = -2 * b1[i * r1 + j];
                }
            }
            anti = 2;
        }
        if (rows > 5 && rnd.nextBoolean()) {
            java.util.Arrays.fill(b2, 4 * r2, 5 * r2, 0f); // row 4 of W2 is zero
            zeroAnti++;
        }
        if (rows > 6 && rnd.nextBoolean()) {
            java.util.Arrays.fill(b1, 5 * r1, 6 * r1, 0f); // row 5 of W1 is zero
            zeroExpert++;
        }
        return new Case(new LowRankOperand(rows, cols, r1, b1, a1, s1), new LowRankOperand(rows, cols, r2, b2, a2, s2),
                alpha, zeroAnti, zeroExpert, anti);
    }

    private static float[] fill(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    static DMatrixRMaj dense(LowRankOperand o) {
        return DenseExtSub.delta(o.scale(), o.b(), o.a(), o.rows(), o.rank(), o.cols());
    }

    static DMatrixRMaj dense(LowRankPair p) {
        return DenseExtSub.delta(1, p.b(), p.a(), p.rows(), p.rank(), p.cols());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void extSubEqualsDenseRowFormula(long seed) {
        Case c = draw(seed);
        ExtSubResult r = LowRankExtSub.extSub(c.x(), c.y(), c.alpha());
        assertEquals(c.x().rank() + c.y().rank(), r.pair().rank());
        DMatrixRMaj want = DenseExtSub.extSub(dense(c.x()), dense(c.y()), c.alpha());
        double err = DenseExtSub.rowRelativeError(want, dense(r.pair()));
        assertTrue(err < 2e-5, "seed " + seed + ": row-relative error " + err);
        DegenerateRows d = r.degenerate();
        assertEquals(c.zeroAnti(), d.zeroAnti(), "zero anti-expert rows");
        assertEquals(c.zeroExpert(), d.zeroExpert(), "zero expert rows");
        // Antiparallel rows, from the dense rows: planted ones, and natural ones when cols is tiny
        // (1-D rows are always parallel or antiparallel). Rows near the threshold may go either way.
        DMatrixRMaj w1 = dense(c.x()), w2 = dense(c.y());
        int surely = 0, maybe = 0;
        for (int i = 0; i < w1.numRows; i++) {
            double n1 = 0, n2 = 0, dot = 0;
            for (int j = 0; j < w1.numCols; j++) {
                n1 += w1.get(i, j) * w1.get(i, j);
                n2 += w2.get(i, j) * w2.get(i, j);
                dot += w1.get(i, j) * w2.get(i, j);
            }
            if (n1 == 0 || n2 == 0) {
                continue;
            }
            double onePlusCos = 1 + dot / Math.sqrt(n1 * n2);
            surely += onePlusCos <= 1e-12 ? 1 : 0;
            maybe += onePlusCos <= 1e-8 ? 1 : 0;
        }
        assertTrue(surely >= c.antiparallel() - c.zeroExpert(), "planted antiparallel rows are antiparallel");
        assertTrue(d.antiparallel() >= surely && d.antiparallel() <= maybe,
                "antiparallel rows " + d.antiparallel() + ", expected " + surely + ".." + maybe);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void subtractionAndAdditionEqualDense(long seed) {
        Case c = draw(seed);
        for (double sign : new double[] {-1, 1}) {
            LowRankPair p = LowRankExtSub.combine(c.x(), c.y(), sign * c.alpha());
            assertEquals(c.x().rank() + c.y().rank(), p.rank());
            DMatrixRMaj want = DenseExtSub.combine(dense(c.x()), dense(c.y()), sign * c.alpha());
            double err = DenseExtSub.rowRelativeError(want, dense(p));
            assertTrue(err < 2e-5, "seed " + seed + " sign " + sign + ": " + err);
        }
    }
}
