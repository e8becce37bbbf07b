package io.extsub.engine.linalg;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.RowBlockGemm;
import io.extsub.engine.gemm.Transpose;

/**
 * A rows x cols matrix that the randomized SVD only touches through products with thin
 * dense blocks. Products go through {@link Gemm}, which packs the stored operand (heap or
 * mapped F32/F16/BF16) panel by panel; M X with a mapped M goes through {@link RowBlockGemm},
 * which decodes cache-sized blocks of rows. Either way the matrix is never copied to float32
 * in full.
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

    /** ||M||_F^2, accumulated in float64 one row at a time. */
    double frobeniusNormSquared();

    /** M = a, a stored matrix of rows x cols. */
    static LinearOperator of(MatrixOperand a, int rows, int cols) {
        return new Stored(a, rows, cols);
    }

    /** M = tuned - base, never materialized: M x = tuned x - base x. */
    static LinearOperator difference(MatrixOperand tuned, MatrixOperand base, int rows, int cols) {
        return new Difference(tuned, base, rows, cols);
    }

    record Stored(MatrixOperand a, int rows, int cols) implements LinearOperator {
        @Override
        public void multiply(Transpose op, int xCols, float alpha, float[] x, int xOff, int ldx,
                             float beta, float[] y, int yOff, int ldy) {
            if (!(a instanceof HeapMatrix)) {
                if (op == Transpose.NO) {
                    RowBlockGemm.multiply(a, null, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
                } else {
                    RowBlockGemm.multiplyTransposed(a, null, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
                }
                return;
            }
            int outRows = op == Transpose.NO ? rows : cols;
            int inner = op == Transpose.NO ? cols : rows;
            Gemm.gemm(op, Transpose.NO, outRows, xCols, inner, alpha, a, new HeapMatrix(x, xOff, ldx), beta, y, yOff, ldy);
        }

        @Override
        public double frobeniusNormSquared() {
            RowReader r = new RowReader(a, cols);
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += r.sumOfSquares(i);
            }
            return s;
        }
    }

    record Difference(MatrixOperand tuned, MatrixOperand base, int rows, int cols) implements LinearOperator {
        @Override
        public void multiply(Transpose op, int xCols, float alpha, float[] x, int xOff, int ldx,
                             float beta, float[] y, int yOff, int ldy) {
            if (!(tuned instanceof HeapMatrix && base instanceof HeapMatrix)) {
                if (op == Transpose.NO) {
                    RowBlockGemm.multiply(tuned, base, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
                } else {
                    RowBlockGemm.multiplyTransposed(tuned, base, rows, xCols, cols, alpha, x, xOff, ldx, beta, y, yOff, ldy);
                }
                return;
            }
            int outRows = op == Transpose.NO ? rows : cols;
            int inner = op == Transpose.NO ? cols : rows;
            HeapMatrix xm = new HeapMatrix(x, xOff, ldx);
            Gemm.gemm(op, Transpose.NO, outRows, xCols, inner, alpha, tuned, xm, beta, y, yOff, ldy);
            Gemm.gemm(op, Transpose.NO, outRows, xCols, inner, -alpha, base, xm, 1f, y, yOff, ldy);
        }

        @Override
        public double frobeniusNormSquared() {
            RowReader t = new RowReader(tuned, cols);
            RowReader b = new RowReader(base, cols);
            double s = 0;
            for (int i = 0; i < rows; i++) {
                float[] tr = t.row(i);
                float[] br = b.row(i);
                for (int j = 0; j < cols; j++) {
                    double d = (double) tr[j] - br[j];
                    s += d * d;
                }
            }
            return s;
        }
    }
}
