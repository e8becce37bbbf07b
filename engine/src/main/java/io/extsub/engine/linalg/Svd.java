package io.extsub.engine.linalg;

/**
 * A thin SVD A = U diag(s) V^T of an m x n matrix in float64, k = min(m, n): {@code u} is
 * m x k row-major with orthonormal columns, {@code s} has k values, descending and
 * non-negative, {@code vt} is k x n row-major with orthonormal rows.
 */
public record Svd(int m, int n, double[] u, double[] s, double[] vt) {

    public int k() {
        return s.length;
    }
}
