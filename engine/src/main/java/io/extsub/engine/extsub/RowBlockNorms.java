package io.extsub.engine.extsub;

/**
 * The per-row quantities of {@link LowRankExtSub} for a block of up to {@link #BLOCK} rows at
 * once: |R b_t|^2 and the projections y . b_t of {@link AntiparallelScreen}. The block's B
 * rows are first gathered column by column into float64 ({@code bt[j * BLOCK + t] = b_t[j]}),
 * so every inner loop runs over the rows of the block with unit stride: plain element-wise
 * loops that C2 turns into SIMD code, instead of a rank-16 dot product per row whose sums form
 * one serial add chain. Per element the sums are the same, in the same order, as
 * {@link FactorNorms#normOfRb}, which tests compare with.
 */
final class RowBlockNorms {
    /** Rows per block: the gathered B columns of both factors (2 x 16 x 64 doubles) stay in L1. */
    static final int BLOCK = 64;

    private RowBlockNorms() {}

    /** bt[j * BLOCK + t] = b[(row0 + t) * rank + j] for t < count, j < rank. */
    static void gather(float[] b, int row0, int count, int rank, double[] bt) {
        for (int t = 0; t < count; t++) {
            int src = (row0 + t) * rank;
            for (int j = 0; j < rank; j++) {
                bt[j * BLOCK + t] = b[src + j];
            }
        }
    }

    /**
     * out[t] = |R b_t|^2 for the upper-triangular p x n R (row-major) and the gathered rows
     * {@code bt}; {@code u} is scratch of length >= count.
     */
    static void normsSquared(double[] r, int p, int n, double[] bt, int count, double[] u, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0.0);
        for (int k = 0; k < p; k++) {
            int row = k * n;
            scaled(r[row + k], bt, k * BLOCK, u, count);
            for (int j = k + 1; j < n; j++) {
                addScaled(r[row + j], bt, j * BLOCK, u, count);
            }
            addSquares(u, out, count);
        }
    }

    /** out[t] = y[off .. off+n) . b_t for the gathered rows {@code bt} (n columns). */
    static void combine(double[] y, int off, int n, double[] bt, int count, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0.0);
        for (int j = 0; j < n; j++) {
            addScaled(y[off + j], bt, j * BLOCK, out, count);
        }
    }

    private static void scaled(double f, double[] x, int off, double[] y, int n) {
        for (int t = 0; t < n; t++) {
            y[t] = f * x[off + t];
        }
    }

    private static void addScaled(double f, double[] x, int off, double[] y, int n) {
        int t = 0;
        for (; t + 3 < n; t += 4) {
            y[t] += f * x[off + t];
            y[t + 1] += f * x[off + t + 1];
            y[t + 2] += f * x[off + t + 2];
            y[t + 3] += f * x[off + t + 3];
        }
        for (; t < n; t++) {
            y[t] += f * x[off + t];
        }
    }

    private static void addSquares(double[] x, double[] y, int n) {
        for (int t = 0; t < n; t++) {
            y[t] += x[t] * x[t];
        }
    }
}
