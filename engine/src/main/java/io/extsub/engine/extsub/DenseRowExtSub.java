package io.extsub.engine.extsub;

/**
 * Ext-Sub on dense rows (IA3 vectors, prefix-tuning head vectors, dense checks): rows of
 * length {@code cols}, row-major. Norms and dot products accumulate in float64; the output
 * is rounded to float once per element.
 */
public final class DenseRowExtSub {
    private DenseRowExtSub() {}

    /**
     * out[i] = g1_i * w1[i] + g2_i * w2[i] for every row i (see {@link RowRule}). {@code out}
     * may alias neither input unless it is the same array at the same offsets.
     */
    public static DegenerateRows apply(float[] w1, float[] w2, int rows, int cols, double alpha, float[] out) {
        long need = Math.multiplyExact((long) rows, (long) cols);
        if (w1.length < need || w2.length < need || out.length < need) {
            throw new IllegalArgumentException("arrays shorter than " + rows + "x" + cols);
        }
        long[] kinds = new long[4];
        double[] g = new double[2];
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            double n1 = 0, n2 = 0, dot = 0;
            for (int j = 0; j < cols; j++) {
                double a = w1[base + j], b = w2[base + j];
                n1 += a * a;
                n2 += b * b;
                dot += a * b;
            }
            kinds[RowRule.factors(Math.sqrt(n1), Math.sqrt(n2), dot, alpha, g)]++;
            for (int j = 0; j < cols; j++) {
                out[base + j] = (float) (g[0] * w1[base + j] + g[1] * w2[base + j]);
            }
        }
        return RowRule.count(kinds);
    }

    /** out = w1 + c*w2 elementwise (subtraction: c = -alpha; addition: c = +alpha), in float64. */
    public static void combine(float[] w1, float[] w2, int n, double c, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (float) (w1[i] + c * (double) w2[i]);
        }
    }
}
