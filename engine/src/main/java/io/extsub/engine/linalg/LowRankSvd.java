package io.extsub.engine.linalg;

/**
 * A rank-r factorization M ~ U diag(s) V^T of an m x n matrix: {@code u} m x r and
 * {@code vt} r x n, row-major, s descending. {@code relativeError} is
 * ||M - U diag(s) V^T||_F / ||M||_F as measured by the producer (0 for a zero matrix).
 */
public record LowRankSvd(int m, int n, float[] u, float[] s, float[] vt, double relativeError) {

    public LowRankSvd {
        int r = s.length;
        if (u.length != Math.multiplyExact(m, r) || vt.length != Math.multiplyExact(r, n)) {
            throw new IllegalArgumentException("factor sizes do not match rank " + r);
        }
    }

    public int rank() {
        return s.length;
    }
}
