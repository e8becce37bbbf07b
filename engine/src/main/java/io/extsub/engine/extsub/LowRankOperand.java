package io.extsub.engine.extsub;

/**
 * One adapter's module as a true delta {@code scale * B A}: B is rows x rank, A is
 * rank x cols, both dense row-major floats (decoded from whatever dtype the file held).
 * Rows of the delta are rows of B A (output features of a linear layer).
 */
public record LowRankOperand(int rows, int cols, int rank, float[] b, float[] a, double scale) {

    public LowRankOperand {
        if (rows < 0 || cols < 0 || rank < 0) {
            throw new IllegalArgumentException("negative dimension");
        }
        if (b.length != Math.multiplyExact(rows, rank) || a.length != Math.multiplyExact(rank, cols)) {
            throw new IllegalArgumentException("factor sizes do not match " + rows + "x" + rank + " * " + rank + "x" + cols);
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale is not finite: " + scale);
        }
    }
}
