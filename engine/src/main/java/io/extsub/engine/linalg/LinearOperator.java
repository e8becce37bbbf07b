package io.extsub.engine.linalg;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.RowBlockGemm;
import io.extsub.engine.gemm.Transpose;

/**
 * A rows x cols matrix that the randomized SVD only touches through products with thin
 * dense blocks. M X goes through {@link Gemm} (heap M, read in place by its direct paths) or
 * {@link RowBlockGemm} (mapped F32/F16/BF16 M, decoded in cache-sized blocks of rows);
 * M^T X through {@link RowBlockGemm#multiplyTransposed}, which also decodes blocks of rows
 * (for heap M too: it beats GEMM's transposed packing). Either way the matrix is never
 * copied to float32 in full.
 */
public sealed interface LinearOperator permits LinearOperator.Stored, LinearOperator.Difference {

    int rows();

    int cols();

    /**
     * y := alpha op(M) x + beta y, x row-major (op(M).cols x xCols) with row stride ldx, y
     * op(M).rows x xCols at {@code y[yOff + i * ldy + j]}.
     */
    void multiply(Transpose op, int xCols, float alpha, float[] x, int xOff, int ldx,
                  float beta, float[] y, int yOff, int ldy);

    /** ||M||_F^2, accumulated in float64 one row at a time (rows split over the cores for large M). */
    double frobeniusNormSquared();

    /** M = a, a stored matrix of rows x cols. */
    static LinearOperator of(MatrixOperand a, int rows, int cols) {
        return new Stored(a, rows, cols, Double.NaN);
    }

    /**
     * M = a, whose ||M||_F^2 the caller summed while forming it (in float64): the randomized
     * SVD then skips its own pass over M, which early in a process runs before the norm loop is
     * compiled (extract: 25-40 ms for the first 4096 x 4096 delta).
     */
    static LinearOperator of(MatrixOperand a, int rows, int cols, double frobeniusNormSquared) {
        if (frobeniusNormSquared < 0) { // NaN (a NaN in M) is summed again, to the same NaN
            throw new IllegalArgumentException("a squared norm must be >= 0, got " + frobeniusNormSquared);
        }
        return new Stored(a, rows, cols, frobeniusNormSquared);
    }

    /** M = tuned - base, never materialized: M x = tuned x - base x. */
    static LinearOperator difference(MatrixOperand tuned, MatrixOperand base, int rows, int cols) {
        return new Difference(tuned, base, rows, cols);
    }

    /** {@code normSquared} is ||a||_F^2 when the caller knew it, else NaN (summed on request). */
    record Stored(MatrixOperand a, int rows, int cols, double normSquared) implements LinearOperator {
        @Override
        public void multiply(Transpose op, int xCols, float alpha, float[] x, int xOff, int ldx,
                             float beta, float[] y, int yOff, int ldy) {
            if (op == Transpose.YES) {
                RowBlockGemm.multiplyTransposed(a, null, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
            } else if (a instanceof HeapMatrix) {
                Gemm.gemm(op, Transpose.NO, rows, xCols, cols, alpha, a, new HeapMatrix(x, xOff, ldx), beta, y, yOff, ldy);
            } else {
                RowBlockGemm.multiply(a, null, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
            }
        }

        @Override
        public double frobeniusNormSquared() {
            return Double.isNaN(normSquared) ? RowBlockGemm.sumOfSquares(a, null, rows, cols) : normSquared;
        }
    }

    record Difference(MatrixOperand tuned, MatrixOperand base, int rows, int cols) implements LinearOperator {
        @Override
        public void multiply(Transpose op, int xCols, float alpha, float[] x, int xOff, int ldx,
                             float beta, float[] y, int yOff, int ldy) {
            if (op == Transpose.YES) {
                RowBlockGemm.multiplyTransposed(tuned, base, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
            } else if (tuned instanceof HeapMatrix && base instanceof HeapMatrix) {
                HeapMatrix xm = new HeapMatrix(x, xOff, ldx);
                Gemm.gemm(op, Transpose.NO, rows, xCols, cols, alpha, tuned, xm, beta, y, yOff, ldy);
                Gemm.gemm(op, Transpose.NO, rows, xCols, cols, -alpha, base, xm, 1f, y, yOff, ldy);
            } else {
                RowBlockGemm.multiply(tuned, base, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
            }
        }

        @Override
        public double frobeniusNormSquared() {
            return RowBlockGemm.sumOfSquares(tuned, base, rows, cols);
        }
    }
}
