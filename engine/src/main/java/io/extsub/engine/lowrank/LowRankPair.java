package io.extsub.engine.lowrank;

import io.extsub.engine.gemm.Gemm;

/**
 * A low-rank matrix delta = B A with any scaling already folded into B: B is rows x rank
 * and A is rank x cols, both dense row-major on the heap.
 */
public record LowRankPair(int rows, int cols, int rank, float[] b, float[] a) {

    public LowRankPair {
        if (rows < 0 || cols < 0 || rank < 0) {
            throw new IllegalArgumentException("negative dimension");
        }
        if (b.length != Math.multiplyExact(rows, rank) || a.length != Math.multiplyExact(rank, cols)) {
            throw new IllegalArgumentException("factor sizes do not match " + rows + "x" + rank + " * " + rank + "x" + cols);
        }
    }

    /** The dense rows x cols product B A (row-major), through GEMM. */
    public float[] toDense() {
        return Gemm.multiply(b, a, rows, rank, cols);
    }
}
