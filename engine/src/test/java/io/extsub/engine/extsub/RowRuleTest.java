package io.extsub.engine.extsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed form against the reference's definition (projection of w2 on the bisector),
 * evaluated independently in float64, and the limits at degenerate rows.
 */
class RowRuleTest {

    static double[] projectionForm(double[] w1, double[] w2, double alpha) {
        int n = w1.length;
        double n1 = 0, n2 = 0;
        for (int j = 0; j < n; j++) {
            n1 += w1[j] * w1[j];
            n2 += w2[j] * w2[j];
        }
        n1 = Math.sqrt(n1);
        n2 = Math.sqrt(n2);
        double[] c = new double[n];
        double nc = 0;
        for (int j = 0; j < n; j++) {
            c[j] = w1[j] / n1 + w2[j] / n2;
            nc += c[j] * c[j];
        }
        nc = Math.sqrt(nc);
        double d = 0;
        for (int j = 0; j < n; j++) {
            c[j] /= nc;
            d += w2[j] * c[j];
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = w1[j] - alpha * w2[j] + alpha * d * c[j];
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void denseRowsMatchTheProjectionForm(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 1 + rnd.nextInt(10), cols = 2 + rnd.nextInt(40);
        double alpha = rnd.nextDouble() * 3;
        float[] w1 = new float[rows * cols], w2 = new float[rows * cols], out = new float[rows * cols];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) rnd.nextGaussian();
            w2[i] = (float) rnd.nextGaussian();
        }
        DegenerateRows d = DenseRowExtSub.apply(w1, w2, rows, cols, alpha, out);
        assertEquals(DegenerateRows.NONE, d);
        for (int i = 0; i < rows; i++) {
            double[] r1 = new double[cols], r2 = new double[cols];
            for (int j = 0; j < cols; j++) {
                r1[j] = w1[i * cols + j];
                r2[j] = w2[i * cols + j];
            }
            double[] want = projectionForm(r1, r2, alpha);
            for (int j = 0; j < cols; j++) {
                assertEquals(want[j], out[i * cols + j], 1e-6 * (1 + Math.abs(want[j])));
            }
        }
    }

    @Test
    void degenerateRowsTakeTheDocumentedLimits() {
        float[] w1 = {1, 2, 0, 0, 3, -1};
        float[] w2 = {0, 0, 4, 2, -6, 2}; // row 0: w2 = 0; row 1: w1 = 0; row 2: w2 = -2 w1
        float[] out = new float[6];
        DegenerateRows d = DenseRowExtSub.apply(w1, w2, 3, 2, 0.5, out);
        assertEquals(new DegenerateRows(1, 1, 1), d);
        assertEquals(1f, out[0]);
        assertEquals(2f, out[1]);
        assertEquals(-2f, out[2]); // -alpha * w2
        assertEquals(-1f, out[3]);
        // w2 = -2 w1, rho = 2: (1 + alpha) w1 - (alpha/2)(-2 w1) = (1 + 2 alpha) w1 = 2 w1
        assertEquals(6f, out[4]);
        assertEquals(-2f, out[5]);
    }

    @Test
    void combineIsElementwise() {
        float[] out = new float[2];
        DenseRowExtSub.combine(new float[] {1, 2}, new float[] {3, 5}, 2, -0.5, out);
        assertEquals(-0.5f, out[0]);
        assertEquals(-0.5f, out[1]);
    }
}
