package io.extsub.engine.linalg;

import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.Transpose;

/**
 * The R factor of a thin Householder QR of a tall-skinny matrix, in float64. Used where
 * only norms of products are needed: for X = op(A) (m x n) and any vector b,
 * |X b| = |R b| since X^T X = R^T R. This avoids forming X^T X, which would square the
 * condition number (Golub and Van Loan, 4th ed., section 5.3.7).
 */
public final class TallSkinnyQr {
    private TallSkinnyQr() {}

    /**
     * R of op(A) = Q R, where op(A) is m x n. Returns a row-major p x n array, p = min(m, n),
     * upper triangular (zeros below the diagonal).
     */
    public static double[] rFactor(MatrixOperand a, Transpose op, int m, int n) {
        // Column-major copy: Householder reflections sweep down columns.
        double[] x = new double[Math.multiplyExact(m, n)];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                x[j * m + i] = op == Transpose.NO ? a.get(i, j) : a.get(j, i);
            }
        }
        int p = Math.min(m, n);
        for (int j = 0; j < p; j++) {
            int col = j * m;
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm = Math.hypot(norm, x[col + i]);
            }
            if (norm == 0) {
                continue; // column already zero below the diagonal: reflection is the identity
            }
            double alpha = x[col + j] > 0 ? -norm : norm;
            x[col + j] -= alpha; // v = x - alpha e1, stored in place
            double vtv = 0;
            for (int i = j; i < m; i++) {
                vtv += x[col + i] * x[col + i];
            }
            for (int c = j + 1; c < n; c++) {
                int cc = c * m;
                double s = 0;
                for (int i = j; i < m; i++) {
                    s += x[col + i] * x[cc + i];
                }
                double f = 2 * s / vtv;
                for (int i = j; i < m; i++) {
                    x[cc + i] -= f * x[col + i];
                }
            }
            x[col + j] = alpha;
            for (int i = j + 1; i < m; i++) {
                x[col + i] = 0;
            }
        }
        double[] r = new double[Math.multiplyExact(p, n)];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < n; j++) {
                r[i * n + j] = x[j * m + i];
            }
        }
        return r;
    }
}
