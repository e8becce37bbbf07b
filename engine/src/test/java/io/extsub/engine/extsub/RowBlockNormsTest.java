package io.extsub.engine.extsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocked row norms equal their per-row twins bit for bit (same products, summed in the
 * same order), including a partial last block, rank > cols (R with fewer rows than columns)
 * and a zero row; the blocked projections y . b equal the same sums per row; and the per-row
 * dot product b1^T (A1 A2^T) b2 equals the row dot product computed from the dense rows.
 */
class RowBlockNormsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void blockedEqualsPerRow(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int r1 = 1 + rnd.nextInt(17), r2 = 1 + rnd.nextInt(17);
        int cols = 1 + rnd.nextInt(40);
        int rows = 1 + rnd.nextInt(3 * RowBlockNorms.BLOCK);
        float[] a1 = gaussian(rnd, r1 * cols), a2 = gaussian(rnd, r2 * cols);
        float[] b1 = gaussian(rnd, rows * r1), b2 = gaussian(rnd, rows * r2);
        java.util.Arrays.fill(b1, 0, r1, 0f); // row 0 of W1 is zero
        int p1 = Math.min(r1, cols), p2 = Math.min(r2, cols);
        double[] rf1 = FactorNorms.rOfRows(a1, r1, cols), rf2 = FactorNorms.rOfRows(a2, r2, cols);
        double[] y = gaussianDoubles(rnd, r2 + 3);

        int block = RowBlockNorms.BLOCK;
        double[] bt1 = new double[r1 * block], bt2 = new double[r2 * block], u = new double[block];
        double[] sq1 = new double[block], sq2 = new double[block], proj = new double[block];
        for (int i0 = 0; i0 < rows; i0 += block) {
            int count = Math.min(block, rows - i0);
            RowBlockNorms.gather(b1, i0, count, r1, bt1);
            RowBlockNorms.gather(b2, i0, count, r2, bt2);
            RowBlockNorms.normsSquared(rf1, p1, r1, bt1, count, u, sq1);
            RowBlockNorms.normsSquared(rf2, p2, r2, bt2, count, u, sq2);
            RowBlockNorms.combine(y, 3, r2, bt2, count, proj);
            for (int k = 0; k < count; k++) {
                int i = i0 + k;
                assertEquals(FactorNorms.normOfRb(rf1, p1, r1, b1, i * r1), Math.sqrt(sq1[k]), 0.0, "|w1| row " + i);
                assertEquals(FactorNorms.normOfRb(rf2, p2, r2, b2, i * r2), Math.sqrt(sq2[k]), 0.0, "|w2| row " + i);
                double want = 0;
                for (int j = 0; j < r2; j++) {
                    want += y[3 + j] * b2[i * r2 + j];
                }
                assertEquals(want, proj[k], 0.0, "projection row " + i);
            }
        }
        assertEquals(0.0, FactorNorms.normOfRb(rf1, p1, r1, b1, 0), 0.0, "a zero row has norm exactly 0");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33})
    void bilinearIsTheRowDotProduct(long seed) {
        // Independent of the factored form: (b1^T A1) . (b2^T A2), computed in float64.
        SplittableRandom rnd = new SplittableRandom(seed);
        int r1 = 1 + rnd.nextInt(9), r2 = 1 + rnd.nextInt(9), cols = 1 + rnd.nextInt(30), rows = 1 + rnd.nextInt(20);
        float[] a1 = gaussian(rnd, r1 * cols), a2 = gaussian(rnd, r2 * cols);
        float[] b1 = gaussian(rnd, rows * r1), b2 = gaussian(rnd, rows * r2);
        double[] ct = FactorNorms.crossProducts(a2, r2, a1, r1, cols);
        double[] t = new double[r1];
        for (int i = 0; i < rows; i++) {
            double expected = 0, scale = 0;
            for (int col = 0; col < cols; col++) {
                double w1 = 0, w2 = 0;
                for (int j = 0; j < r1; j++) {
                    w1 += (double) b1[i * r1 + j] * a1[j * cols + col];
                }
                for (int j = 0; j < r2; j++) {
                    w2 += (double) b2[i * r2 + j] * a2[j * cols + col];
                }
                expected += w1 * w2;
                scale += Math.abs(w1 * w2);
            }
            assertEquals(expected, FactorNorms.bilinearT(ct, b1, i * r1, r1, b2, i * r2, r2, t), 1e-12 * (1 + scale),
                    "row " + i);
        }
    }

    private static double[] gaussianDoubles(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    static float[] gaussian(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
