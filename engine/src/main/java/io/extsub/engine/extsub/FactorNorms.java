package io.extsub.engine.extsub;

/**
 * Float64 helpers for the row norms of B A without forming B A. For A (rank x cols,
 * row-major), X = A^T = Q R (thin Householder QR) gives |b A| = |R b| for every row b of B
 * (X^T X = R^T R), which avoids the Gram matrix A A^T and its squared condition number
 * (Golub and Van Loan, 4th ed., 5.3). The columns of X are the rows of A, so they are
 * contiguous: this QR works on them directly instead of going through a generic operand.
 *
 * <p>Every loop over {@code cols} is its own small method: a CLI run is a short-lived JVM, and
 * a method called a few hundred times per module reaches the optimizing compiler within the
 * first module, while the same loop inlined into a once-per-module method would run
 * interpreted or in profiling code until on-stack replacement catches up.
 * {@link #normOfRb} is the plain per-row twin of {@link RowBlockNorms}; {@link #bilinearT} gives
 * the exact dot product of the few rows that may be antiparallel ({@link AntiparallelScreen}).
 */
public final class FactorNorms {
    private FactorNorms() {}

    /**
     * R (p x rank, row-major, upper triangular, p = min(rank, cols)) of A^T = Q R, where A
     * is the rank x cols row-major block starting at {@code a[0]}.
     */
    public static double[] rOfRows(float[] a, int rank, int cols) {
        double[][] x = new double[rank][];
        for (int j = 0; j < rank; j++) {
            x[j] = widen(a, j * cols, cols);
        }
        int p = Math.min(rank, cols);
        double[] r = new double[Math.multiplyExact(p, rank)];
        for (int j = 0; j < p; j++) {
            double[] v = x[j];
            // Squares of float inputs cannot overflow a double: no scaling (hypot) needed.
            double normSq = dot(v, v, j, cols);
            if (normSq == 0) {
                // Nothing below the diagonal: the reflection is the identity.
                for (int c = j; c < rank; c++) {
                    r[j * rank + c] = x[c][j];
                }
                continue;
            }
            double norm = Math.sqrt(normSq);
            double alpha = v[j] > 0 ? -norm : norm;
            double vj = v[j] - alpha;
            double vtv = normSq - v[j] * v[j] + vj * vj;
            v[j] = vj;
            for (int c = j + 1; c < rank; c++) {
                double[] xc = x[c];
                double f = 2 * dot(v, xc, j, cols) / vtv;
                subtractMultiple(f, v, xc, j, cols);
                r[j * rank + c] = xc[j];
            }
            r[j * rank + j] = alpha;
        }
        return r;
    }

    /** C = A1 A2^T (r1 x r2, row-major) in float64, from row-major A1 (r1 x cols), A2 (r2 x cols). */
    public static double[] crossProducts(float[] a1, int r1, float[] a2, int r2, int cols) {
        double[] c = new double[Math.multiplyExact(r1, r2)];
        for (int k = 0; k < r1; k++) {
            for (int l = 0; l < r2; l++) {
                c[k * r2 + l] = dot(a1, k * cols, a2, l * cols, cols);
            }
        }
        return c;
    }

    /** |R b| for the upper-triangular p x n R and b = x[off .. off+n). */
    static double normOfRb(double[] r, int p, int n, float[] x, int off) {
        double sum = 0;
        for (int k = 0; k < p; k++) {
            double s = 0;
            int row = k * n;
            for (int j = k; j < n; j++) {
                s += r[row + j] * x[off + j];
            }
            sum += s * s;
        }
        return Math.sqrt(sum);
    }

    /**
     * x^T C y with C = A1 A2^T given as its transpose ct = A2 A1^T (n2 x n1 row-major),
     * x = b1[o1 ..] (n1), y = b2[o2 ..] (n2); {@code t} is scratch of length >= n1.
     */
    static double bilinearT(double[] ct, float[] b1, int o1, int n1, float[] b2, int o2, int n2, double[] t) {
        java.util.Arrays.fill(t, 0, n1, 0.0);
        for (int l = 0; l < n2; l++) {
            double yl = b2[o2 + l];
            int row = l * n1;
            for (int k = 0; k < n1; k++) {
                t[k] += ct[row + k] * yl;
            }
        }
        double sum = 0;
        for (int k = 0; k < n1; k++) {
            sum += b1[o1 + k] * t[k];
        }
        return sum;
    }

    private static double[] widen(float[] a, int off, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[off + i];
        }
        return x;
    }

    /**
     * y[from..to) -= f * v[from..to), unrolled by hand: a small exact run executes this in C1
     * code (bin/extsub), which does not unroll loops (with {@code RowBlockNorms.addScaled},
     * 7B-shaped pair, 12 alternating runs: median 0.39 -> 0.365 s, CPU 0.56 -> 0.52 s).
     */
    private static void subtractMultiple(double f, double[] v, double[] y, int from, int to) {
        int i = from;
        for (; i + 3 < to; i += 4) {
            y[i] -= f * v[i];
            y[i + 1] -= f * v[i + 1];
            y[i + 2] -= f * v[i + 2];
            y[i + 3] -= f * v[i + 3];
        }
        for (; i < to; i++) {
            y[i] -= f * v[i];
        }
    }

    /** Four partial sums: independent chains, so the loop is not one long add latency chain. */
    private static double dot(double[] x, double[] y, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i] * y[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Float rows, float64 products (exact for float inputs) and sums. */
    static double dot(float[] x, int ox, float[] y, int oy, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += (double) x[ox + i] * y[oy + i];
            s1 += (double) x[ox + i + 1] * y[oy + i + 1];
            s2 += (double) x[ox + i + 2] * y[oy + i + 2];
            s3 += (double) x[ox + i + 3] * y[oy + i + 3];
        }
        for (; i < n; i++) {
            s0 += (double) x[ox + i] * y[oy + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
