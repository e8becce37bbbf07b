package io.extsub.engine.gemm;

/**
 * A stored matrix as GEMM reads it. Packing converts whatever is here into contiguous
 * float micro-panels, so mapped tensors in F16/BF16 are multiplied without a copy.
 */
public sealed interface MatrixOperand permits HeapMatrix, SegmentMatrix {

    /** Element (row, col) of the stored matrix (before any transposition); slow path for references and tests. */
    float get(long row, long col);
}
