package io.extsub.engine.linalg;

import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;

/**
 * Blocked Householder QR in float32 (Golub and Van Loan, 4th ed., 5.2.3 and 5.1.7;
 * compact WY form of Schreiber and Van Loan 1989, as LAPACK's xGEQRF/xLARFT/xLARFB).
 *
 * <p>The matrix is held column-major (a row-major n x m array), so that the level-2 panel
 * work runs on contiguous columns through {@link FloatKernels#dot}/{@link FloatKernels#axpy};
 * everything outside the panel (trailing update, forming Q) is three GEMMs per panel.
 *
 * <p>Tall-skinny inputs (m much larger than n, n up to 256) take a narrower panel: the
 * level-2 work is 2 m n nb flops, so a narrow panel keeps almost all flops in GEMM, whose
 * operands (a panel of m x nb floats) stay in cache.
 */
public final class HouseholderQr {
    private static final int PANEL = 32;
    private static final int TALL_SKINNY_PANEL = 16;
    private static final int TALL_SKINNY_MAX_COLS = 256;

    private HouseholderQr() {}

    /**
     * Thin QR of the row-major m x n matrix {@code a} (unchanged): Q is m x p with orthonormal
     * columns ({@code null} unless {@code wantQ}), R is p x n upper triangular, p = min(m, n).
     */
    public static Qr decompose(float[] a, int m, int n, boolean wantQ) {
        if (a.length < Math.multiplyExact(m, n)) {
            throw new IllegalArgumentException("array shorter than " + m + "x" + n);
        }
        float[] w = Transposes.transpose(a, m, n); // column j at w[j*m ...]
        Factored f = factorColumnMajor(w, m, n);
        int p = Math.min(m, n);
        float[] r = new float[Math.multiplyExact(p, n)];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < n; j++) {
                r[i * n + j] = w[j * m + i];
            }
        }
        float[] q = wantQ ? Transposes.transpose(formQt(f), p, m) : null;
        return new Qr(m, n, q, r);
    }

    /**
     * Orthonormal basis of the columns of the row-major m x n matrix {@code a} (m >= n),
     * written into {@code q} (m x n row-major, may be {@code a} itself); the R factor is
     * discarded. Tall-skinny inputs first try {@link CholeskyQr2}, whose work is all GEMM,
     * and fall back to Householder when Y is too ill-conditioned for it.
     */
    public static void orthonormalize(float[] a, int m, int n, float[] q) {
        if (m < n) {
            throw new IllegalArgumentException("need m >= n, got " + m + "x" + n);
        }
        if (tallSkinny(m, n) && CholeskyQr2.tryOrthonormalize(a, m, n, q)) {
            return;
        }
        householderOrthonormalize(a, m, n, q);
    }

    /**
     * A basis of the columns of the row-major m x n matrix {@code a} (m >= n) into {@code out}
     * (m x n, not {@code a}) that is well conditioned but orthonormal only to O(u cond(a)^2):
     * for tall-skinny inputs one CholeskyQR pass, half the work of {@link #orthonormalize}
     * (whose second pass only restores orthogonality), else {@link #orthonormalize}. This is
     * what the products inside a power iteration need: the span, kept from collapsing onto the
     * top singular vectors (scikit-learn's randomized_svd normalizes them by LU, not QR); the
     * last basis, the one whose orthonormality the result relies on, is {@link #orthonormalize}d.
     */
    public static void basis(float[] a, int m, int n, float[] out) {
        if (m < n) {
            throw new IllegalArgumentException("need m >= n, got " + m + "x" + n);
        }
        if (a == out) {
            throw new IllegalArgumentException("basis is not computed in place");
        }
        if (tallSkinny(m, n) && CholeskyQr2.tryFirstPass(a, m, n, out)) {
            return;
        }
        householderOrthonormalize(a, m, n, out);
    }

    /**
     * Thin Q and R as {@code decompose(a, m, n, true)}, through {@link CholeskyQr2} when the
     * input is tall-skinny and well enough conditioned (all its work is GEMM; R then has a
     * positive diagonal), else by blocked Householder.
     */
    public static Qr decomposeThin(float[] a, int m, int n) {
        if (tallSkinny(m, n)) {
            Qr qr = CholeskyQr2.tryDecompose(a, m, n);
            if (qr != null) {
                return qr;
            }
        }
        return decompose(a, m, n, true);
    }

    private static boolean tallSkinny(int m, int n) {
        return n <= TALL_SKINNY_MAX_COLS && m >= 4 * n;
    }

    /** {@link #orthonormalize} without the CholeskyQR2 fast path. */
    static void householderOrthonormalize(float[] a, int m, int n, float[] q) {
        float[] w = Transposes.transpose(a, m, n);
        Factored f = factorColumnMajor(w, m, n);
        Transposes.transposeInto(formQt(f), n, m, q);
    }

    /** The Householder vectors (below the diagonal of w), the taus and the T factor of every panel. */
    private record Factored(float[] w, int m, int n, int p, int nb, float[] tau, float[][] t) {}

    static int panelWidth(int m, int n) {
        return Math.max(1, Math.min(tallSkinny(m, n) ? TALL_SKINNY_PANEL : PANEL, Math.min(m, n)));
    }

    private static Factored factorColumnMajor(float[] w, int m, int n) {
        FloatKernels k = Kernels.get();
        int p = Math.min(m, n);
        int nb = panelWidth(m, n);
        float[] tau = new float[p];
        int panels = p == 0 ? 0 : (p + nb - 1) / nb;
        float[][] ts = new float[panels][];
        float[] vt = new float[Math.multiplyExact(nb, m)];
        float[] work = new float[Math.multiplyExact(Math.max(n, 1), nb)];
        for (int pi = 0; pi < panels; pi++) {
            int j0 = pi * nb;
            int jb = Math.min(nb, p - j0);
            int len = m - j0;
            for (int j = j0; j < j0 + jb; j++) {
                tau[j] = reflect(k, w, m, j);
                // Apply H_j to the remaining panel columns: c -= tau (v . c) v.
                if (tau[j] != 0f) {
                    int vOff = j * m + j;
                    float diag = w[vOff];
                    w[vOff] = 1f;
                    for (int c = j + 1; c < j0 + jb; c++) {
                        int cOff = c * m + j;
                        float s = k.dot(w, vOff, w, cOff, m - j);
                        k.axpy(-tau[j] * s, w, vOff, w, cOff, m - j);
                    }
                    w[vOff] = diag;
                }
            }
            // V^T of the panel with explicit unit diagonal and zeros above it, rows of length len.
            for (int i = 0; i < jb; i++) {
                int row = i * len;
                java.util.Arrays.fill(vt, row, row + i, 0f);
                vt[row + i] = 1f;
                System.arraycopy(w, (j0 + i) * m + j0 + i + 1, vt, row + i + 1, len - i - 1);
            }
            float[] t = triangularFactor(k, vt, len, jb, tau, j0);
            ts[pi] = t;
            int trailing = n - j0 - jb;
            if (trailing > 0) {
                // C := (I - V T V^T)^T C = C - V T^T V^T C; with C^T stored as rows of w:
                // C^T := C^T - (C^T V) T V^T.
                HeapMatrix ct = new HeapMatrix(w, (j0 + jb) * m + j0, m);
                HeapMatrix v = new HeapMatrix(vt, 0, len);
                Gemm.gemm(Transpose.NO, Transpose.YES, trailing, jb, len, 1f, ct, v, 0f, work, 0, jb);
                multiplyUpperRight(work, trailing, jb, t, false);
                Gemm.gemm(Transpose.NO, Transpose.NO, trailing, len, jb, -1f,
                        new HeapMatrix(work, 0, jb), v, 1f, w, (j0 + jb) * m + j0, m);
            }
        }
        return new Factored(w, m, n, p, nb, tau, ts);
    }

    /**
     * Householder reflector for column j below row j (LAPACK xLARFG convention): on return
     * w[j*m+j] = beta (the new diagonal of R), w below it holds v without its unit head.
     */
    private static float reflect(FloatKernels k, float[] w, int m, int j) {
        int off = j * m + j;
        int len = m - j;
        if (len <= 1) {
            return 0f;
        }
        double tail = k.sumOfSquares(w, off + 1, len - 1);
        if (tail == 0) {
            return 0f;
        }
        double x0 = w[off];
        double norm = Math.sqrt(x0 * x0 + tail);
        double beta = x0 > 0 ? -norm : norm; // opposite sign to x0: no cancellation in x0 - beta
        double tau = (beta - x0) / beta;
        k.scale((float) (1 / (x0 - beta)), w, off + 1, len - 1);
        w[off] = (float) beta;
        return (float) tau;
    }

    /**
     * T of H_1...H_jb = I - V T V^T (forward, columnwise; LAPACK xLARFT): T(i,i) = tau_i,
     * T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)^T v_i. Returns a row-major jb x jb upper triangle.
     */
    private static float[] triangularFactor(FloatKernels k, float[] vt, int len, int jb, float[] tau, int j0) {
        float[] t = new float[jb * jb];
        float[] z = new float[jb];
        for (int i = 0; i < jb; i++) {
            float ti = tau[j0 + i];
            t[i * jb + i] = ti;
            if (ti == 0f) {
                continue;
            }
            for (int r = 0; r < i; r++) {
                // Row r of V^T is zero before position r, row i before position i > r.
                z[r] = k.dot(vt, r * len + i, vt, i * len + i, len - i);
            }
            for (int r = 0; r < i; r++) {
                float s = 0f;
                for (int c = r; c < i; c++) {
                    s += t[r * jb + c] * z[c];
                }
                t[r * jb + i] = -ti * s;
            }
        }
        return t;
    }

    /** x (rows x jb, row-major) := x * T, or x * T^T when {@code transposed}, T upper triangular jb x jb. */
    private static void multiplyUpperRight(float[] x, int rows, int jb, float[] t, boolean transposed) {
        float[] tmp = new float[jb];
        for (int r = 0; r < rows; r++) {
            int off = r * jb;
            for (int c = 0; c < jb; c++) {
                float s = 0f;
                if (!transposed) {
                    for (int q = 0; q <= c; q++) {
                        s += x[off + q] * t[q * jb + c];
                    }
                } else {
                    for (int q = c; q < jb; q++) {
                        s += x[off + q] * t[c * jb + q];
                    }
                }
                tmp[c] = s;
            }
            System.arraycopy(tmp, 0, x, off, jb);
        }
    }

    /**
     * Q^T (p x m row-major, i.e. the columns of the thin Q, each contiguous) by backward
     * accumulation Q = H_1 (H_2 (... (H_p I_{m x p}))), one blocked reflector per panel.
     */
    private static float[] formQt(Factored f) {
        int m = f.m();
        int p = f.p();
        int nb = f.nb();
        float[] qt = new float[Math.multiplyExact(p, m)];
        for (int i = 0; i < p; i++) {
            qt[i * m + i] = 1f;
        }
        float[] vt = new float[Math.multiplyExact(nb, m)];
        float[] work = new float[Math.multiplyExact(Math.max(p, 1), nb)];
        for (int pi = f.t().length - 1; pi >= 0; pi--) {
            int j0 = pi * nb;
            int jb = Math.min(nb, p - j0);
            int len = m - j0;
            for (int i = 0; i < jb; i++) {
                int row = i * len;
                java.util.Arrays.fill(vt, row, row + i, 0f);
                vt[row + i] = 1f;
                System.arraycopy(f.w(), (j0 + i) * m + j0 + i + 1, vt, row + i + 1, len - i - 1);
            }
            // Columns j0..p-1 of Q, rows j0..m-1 (rows above j0 are still those of the identity
            // there, i.e. zero, for columns >= j0). Q_sub := (I - V T V^T) Q_sub, so
            // Q_sub^T := Q_sub^T - (Q_sub^T V) T^T V^T.
            int cols = p - j0;
            HeapMatrix qs = new HeapMatrix(qt, j0 * m + j0, m);
            HeapMatrix v = new HeapMatrix(vt, 0, len);
            Gemm.gemm(Transpose.NO, Transpose.YES, cols, jb, len, 1f, qs, v, 0f, work, 0, jb);
            multiplyUpperRight(work, cols, jb, f.t()[pi], true);
            Gemm.gemm(Transpose.NO, Transpose.NO, cols, len, jb, -1f,
                    new HeapMatrix(work, 0, jb), v, 1f, qt, j0 * m + j0, m);
        }
        return qt;
    }
}
