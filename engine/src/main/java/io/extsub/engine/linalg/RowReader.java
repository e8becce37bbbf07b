package io.extsub.engine.linalg;

import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;

/** Decodes one row of a stored matrix at a time into a reusable float buffer. */
final class RowReader {
    private final MatrixOperand a;
    private final int cols;
    private final float[] buf;
    private final FloatKernels k = Kernels.get();

    RowReader(MatrixOperand a, int cols) {
        this.a = a;
        this.cols = cols;
        this.buf = new float[cols];
    }

    /** Row i (valid until the next call). */
    float[] row(int i) {
        switch (a) {
            case HeapMatrix h -> System.arraycopy(h.data(), Math.addExact(h.offset(), Math.multiplyExact(i, h.rowStride())), buf, 0, cols);
            case SegmentMatrix s when s.colStride() == 1 -> k.toFloat(s.segment(),
                    s.byteOffset() + Math.multiplyExact(Math.multiplyExact((long) i, s.rowStride()), (long) s.type().byteSize()), s.type(), buf, 0, cols);
            default -> {
                for (int j = 0; j < cols; j++) {
                    buf[j] = a.get(i, j);
                }
            }
        }
        return buf;
    }

    double sumOfSquares(int i) {
        return k.sumOfSquares(row(i), 0, cols);
    }
}
