package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;

/**
 * A {@link MatrixOperand} together with its op (identity or transpose), read by packing in
 * runs along a stored row. Heap runs are array copies; segment runs with unit column stride
 * go through the kernels' vector decoders; other strides fall back to element reads.
 */
record Operand(MatrixOperand matrix, boolean transposed) {

    static Operand of(MatrixOperand matrix, Transpose t) {
        return new Operand(matrix, t == Transpose.YES);
    }

    Operand flipped() {
        return new Operand(matrix, !transposed);
    }

    /** dst[dstOff + q] = stored(row, col0 + q), q < len. */
    void readRun(int row, int col0, int len, float[] dst, int dstOff, FloatKernels kernels) {
        switch (matrix) {
            case HeapMatrix h -> System.arraycopy(h.data(), Math.toIntExact(h.offset() + (long) row * h.rowStride() + col0), dst, dstOff, len);
            case SegmentMatrix s -> {
                if (s.colStride() == 1) {
                    long at = s.byteOffset() + (row * s.rowStride() + col0) * s.type().byteSize();
                    kernels.toFloat(s.segment(), at, s.type(), dst, dstOff, len);
                } else {
                    for (int q = 0; q < len; q++) {
                        dst[dstOff + q] = s.get(row, col0 + q);
                    }
                }
            }
        }
    }
}
