package io.extsub.engine.extsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The screen never drops an antiparallel row (exact ones, and perturbed ones from 1 + cos ~
 * 1e-15 up to around the 1e-10 tolerance, through different A factors and ranks and scalings
 * of either sign), rarely
 * passes a generic one, and {@link LowRankExtSub} counts exactly the antiparallel rows that a
 * float64 computation from the dense rows finds, on wide modules where the screen matters.
 */
class AntiparallelScreenTest {

    /**
     * Expert rows b1 A1; the anti-expert has A2 = [A1 ; extra rows] and b2 = [c * b1 + e, 0]
     * where e is a tiny perturbation, so w2 = c w1 + e A1 (antiparallel to the true delta for
     * c s1 s2 < 0 as e goes to 0). Returns the dense float64 rows for the independent check.
     */
    private record Pair(LowRankOperand expert, LowRankOperand anti, double[][] w1, double[][] w2) {}

    private static Pair pair(SplittableRandom rnd, int rows, int cols, int r1, int extra, double s1, double s2,
                             double c, double perturbation, int plantedRows) {
        int r2 = r1 + extra;
        float[] a1 = RowBlockNormsTest.gaussian(rnd, r1 * cols);
        float[] a2 = new float[r2 * cols];
        System.arraycopy(a1, 0, a2, 0, a1.length);
        float[] tail = RowBlockNormsTest.gaussian(rnd, extra * cols);
        System.arraycopy(tail, 0, a2, a1.length, tail.length);
        float[] b1 = RowBlockNormsTest.gaussian(rnd, rows * r1);
        float[] b2 = RowBlockNormsTest.gaussian(rnd, rows * r2);
        for (int i = 0; i < plantedRows; i++) {
            for (int j = 0; j < r2; j++) {
                b2[i * r2 + j] = j < r1 ? (float) (c * b1[i * r1 + j] + perturbation * rnd.nextGaussian()) : 0f;
            }
        }
        LowRankOperand x = new LowRankOperand(rows, cols, r1, b1, a1, s1);
        LowRankOperand y = new LowRankOperand(rows, cols, r2, b2, a2, s2);
        return new Pair(x, y, dense(x), dense(y));
    }

    private static double[][] dense(LowRankOperand o) {
        double[][] w = new double[o.rows()][o.cols()];
        for (int i = 0; i < o.rows(); i++) {
            for (int k = 0; k < o.rank(); k++) {
                double bik = o.scale() * o.b()[i * o.rank() + k];
                for (int j = 0; j < o.cols(); j++) {
                    w[i][j] += bik * o.a()[k * o.cols() + j];
                }
            }
        }
        return w;
    }

    private static double onePlusCos(double[] u, double[] v) {
        double uv = 0, uu = 0, vv = 0;
        for (int j = 0; j < u.length; j++) {
            uv += u[j] * v[j];
            uu += u[j] * u[j];
            vv += v[j] * v[j];
        }
        return 1 + uv / Math.sqrt(uu * vv);
    }

    /** What the screen says of row i, from its factors. */
    private static boolean passes(Pair p, double[] y1, double[] y2, int i) {
        LowRankOperand x = p.expert(), y = p.anti();
        int r1 = x.rank(), r2 = y.rank();
        double sq1 = 0, sq2 = 0, p1a = 0, p1b = 0, p2a = 0, p2b = 0;
        for (double v : p.w1()[i]) {
            sq1 += v * v;
        }
        for (double v : p.w2()[i]) {
            sq2 += v * v;
        }
        // norms of the unscaled rows b A
        sq1 /= x.scale() * x.scale();
        sq2 /= y.scale() * y.scale();
        for (int j = 0; j < r1; j++) {
            p1a += y1[j] * x.b()[i * r1 + j];
            p1b += y1[r1 + j] * x.b()[i * r1 + j];
        }
        for (int j = 0; j < r2; j++) {
            p2a += y2[j] * y.b()[i * r2 + j];
            p2b += y2[r2 + j] * y.b()[i * r2 + j];
        }
        return AntiparallelScreen.mayBeAntiparallel(sq1, sq2, p1a, p1b, p2a, p2b,
                Math.signum(x.scale() * y.scale()), x.cols());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void passesEveryAntiparallelRow(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cols = new int[] {1, 7, 64, 700, 4096, 11008}[(int) (seed - 1)];
        int r1 = 1 + rnd.nextInt(16), extra = rnd.nextInt(5), rows = 40;
        double s1 = (rnd.nextBoolean() ? 1 : -1) * Math.exp(rnd.nextDouble() * 4 - 2);
        double s2 = (rnd.nextBoolean() ? 1 : -1) * Math.exp(rnd.nextDouble() * 4 - 2);
        // c s1 s2 < 0: the planted rows point against the expert's in true delta space
        double c = -Math.signum(s1 * s2) * Math.exp(rnd.nextDouble() * 6 - 3);
        // 1.5e-5 puts 1 + cos around the tolerance: rows on both sides of it
        for (double perturbation : new double[] {0, 1e-7, 1.5e-5}) {
            Pair p = pair(rnd, rows, cols, r1, extra, s1, s2, c, perturbation * Math.abs(c), 20);
            double[] y1 = AntiparallelScreen.project(p.expert().a(), r1, cols, AntiparallelScreen.signs(cols));
            double[] y2 = AntiparallelScreen.project(p.anti().a(), r1 + extra, cols, AntiparallelScreen.signs(cols));
            for (int i = 0; i < rows; i++) {
                double opc = onePlusCos(p.w1()[i], p.w2()[i]);
                if (opc <= 1e-10) {
                    assertTrue(passes(p, y1, y2, i), "row " + i + " with 1 + cos = " + opc + " dropped");
                }
                if (i < 20 && perturbation == 0) {
                    assertTrue(opc <= 1e-12, "planted row " + i + " is antiparallel: " + opc);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void rarelyPassesAGenericRow(long seed) {
        // independent Gaussian rows of 4096 columns: cos near 0, |n1 + n2| near sqrt 2; the
        // screen's estimate is ~1e-5 per row, so even 1 in 200 would mean it is not screening
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 4000, cols = 4096;
        Pair p = pair(rnd, rows, cols, 4, 0, 1.5, -0.5, 0, 0, 0);
        double[] y1 = AntiparallelScreen.project(p.expert().a(), 4, cols, AntiparallelScreen.signs(cols));
        double[] y2 = AntiparallelScreen.project(p.anti().a(), 4, cols, AntiparallelScreen.signs(cols));
        int passed = 0;
        for (int i = 0; i < rows; i++) {
            passed += passes(p, y1, y2, i) ? 1 : 0;
        }
        assertTrue(passed <= rows / 200, passed + " of " + rows + " generic rows passed");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void extSubCountsTheDenseAntiparallelRows(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cols = 2048 + rnd.nextInt(2048), rows = 300, r1 = 8 + rnd.nextInt(9);
        double s1 = rnd.nextBoolean() ? 2 : -2, s2 = rnd.nextBoolean() ? 0.5 : -0.5;
        int planted = 1 + rnd.nextInt(80);
        // the planted rows at 1 + cos ~ 1e-15 (antiparallel) for c s1 s2 < 0, parallel otherwise
        Pair p = pair(rnd, rows, cols, r1, 3, s1, s2, seed == 23 ? Math.signum(s1 * s2) : -Math.signum(s1 * s2),
                0, planted);
        long want = 0;
        for (int i = 0; i < rows; i++) {
            want += onePlusCos(p.w1()[i], p.w2()[i]) <= RowRule.ANTIPARALLEL_TOLERANCE ? 1 : 0;
        }
        assertEquals(seed == 23 ? 0 : planted, want, "the independent count");
        assertEquals(want, LowRankExtSub.extSub(p.expert(), p.anti(), 1.0).degenerate().antiparallel());
    }
}
