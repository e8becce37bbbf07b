package io.extsub.engine.linalg;

import java.util.Arrays;

/**
 * One-sided Jacobi SVD (Hestenes 1958; rotation as in Demmel and Veselic 1992, section 4)
 * in float64, for the small dense cores of the randomized SVD and of recompression.
 *
 * <p>Plane rotations orthogonalize the columns of A V until every pair satisfies
 * |a_p . a_q| <= eps |a_p| |a_q|; then the column norms are the singular values, accurate
 * to high relative precision, and the normalized columns are U. Columns that end exactly
 * zero (rank deficiency) get U columns completed to an orthonormal set, so U always has
 * orthonormal columns. Wide inputs are handled through the transpose.
 */
public final class JacobiSvd {
    private static final double EPS = 0x1p-52;
    private static final int MAX_SWEEPS = 80;

    private JacobiSvd() {}

    /** Thin SVD of the row-major m x n float matrix a (widened to float64). */
    public static Svd decompose(float[] a, int m, int n) {
        double[] d = new double[Math.multiplyExact(m, n)];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i];
        }
        return decompose(d, m, n);
    }

    /** Thin SVD of the row-major m x n matrix a (not modified). */
    public static Svd decompose(double[] a, int m, int n) {
        if (a.length < Math.multiplyExact(m, n)) {
            throw new IllegalArgumentException("array shorter than " + m + "x" + n);
        }
        if (m >= n) {
            double[] cols = new double[m * n]; // column j at cols[j*m ...]
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    cols[j * m + i] = a[i * n + j];
                }
            }
            return tall(cols, m, n);
        }
        // A^T is n x m (tall); its columns are the rows of A, already contiguous.
        Svd t = tall(Arrays.copyOf(a, m * n), n, m);
        // A = (U' S V'^T)^T = V' S U'^T.
        int k = m;
        double[] u = transpose(t.vt(), k, m);
        double[] vt = transpose(t.u(), n, k);
        return new Svd(m, n, u, t.s(), vt);
    }

    /** SVD of the m x n matrix (m >= n) whose columns are stored contiguously in g (consumed). */
    private static Svd tall(double[] g, int m, int n) {
        double[] v = new double[n * n]; // column j of V at v[j*n ...]
        for (int j = 0; j < n; j++) {
            v[j * n + j] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotated |= rotate(g, m, p, q, v, n);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            s[j] = norm(g, j * m, m);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double[] sorted = new double[n];
        double[] u = new double[m * n]; // row-major m x n
        double[] vt = new double[n * n];
        boolean[] filled = new boolean[n];
        for (int c = 0; c < n; c++) {
            int j = order[c];
            double sj = s[j];
            sorted[c] = sj;
            if (sj > 0) {
                double inv = 1 / sj;
                for (int i = 0; i < m; i++) {
                    u[i * n + c] = g[j * m + i] * inv;
                }
                filled[c] = true;
            }
            System.arraycopy(v, j * n, vt, c * n, n);
        }
        completeColumns(u, m, n, filled);
        return new Svd(m, n, u, sorted, vt);
    }

    /** One Jacobi rotation of columns p and q; false if they were already orthogonal. */
    private static boolean rotate(double[] g, int m, int p, int q, double[] v, int n) {
        int po = p * m;
        int qo = q * m;
        double alpha = 0;
        double beta = 0;
        double gamma = 0;
        for (int i = 0; i < m; i++) {
            double x = g[po + i];
            double y = g[qo + i];
            alpha += x * x;
            beta += y * y;
            gamma += x * y;
        }
        if (alpha == 0 || beta == 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha) * Math.sqrt(beta)) {
            return false;
        }
        double zeta = (beta - alpha) / (2 * gamma);
        double t = Math.copySign(1, zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = c * t;
        for (int i = 0; i < m; i++) {
            double x = g[po + i];
            double y = g[qo + i];
            g[po + i] = c * x - s * y;
            g[qo + i] = s * x + c * y;
        }
        int pv = p * n;
        int qv = q * n;
        for (int i = 0; i < n; i++) {
            double x = v[pv + i];
            double y = v[qv + i];
            v[pv + i] = c * x - s * y;
            v[qv + i] = s * x + c * y;
        }
        return true;
    }

    private static double norm(double[] x, int off, int len) {
        double scale = 0;
        for (int i = 0; i < len; i++) {
            scale = Math.max(scale, Math.abs(x[off + i]));
        }
        if (scale == 0) {
            return 0;
        }
        double ss = 0;
        for (int i = 0; i < len; i++) {
            double y = x[off + i] / scale;
            ss += y * y;
        }
        return scale * Math.sqrt(ss);
    }

    /** Fills the unset columns of u (m x n row-major) so that all columns are orthonormal. */
    private static void completeColumns(double[] u, int m, int n, boolean[] filled) {
        double[] cand = new double[m];
        int next = 0;
        for (int c = 0; c < n; c++) {
            if (filled[c]) {
                continue;
            }
            while (true) {
                Arrays.fill(cand, 0);
                cand[next++ % m] = 1;
                for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan, Parlett)
                    for (int o = 0; o < n; o++) {
                        if (!filled[o]) {
                            continue;
                        }
                        double d = 0;
                        for (int i = 0; i < m; i++) {
                            d += u[i * n + o] * cand[i];
                        }
                        for (int i = 0; i < m; i++) {
                            cand[i] -= d * u[i * n + o];
                        }
                    }
                }
                double nrm = norm(cand, 0, m);
                if (nrm > 0.5 || next > 2 * m) {
                    for (int i = 0; i < m; i++) {
                        u[i * n + c] = cand[i] / nrm;
                    }
                    filled[c] = true;
                    break;
                }
            }
        }
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }
}
