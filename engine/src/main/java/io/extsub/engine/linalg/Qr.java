package io.extsub.engine.linalg;

/**
 * A thin QR factorization A = Q R of an m x n matrix, p = min(m, n): {@code q} is m x p
 * row-major with orthonormal columns (or {@code null} when not requested), {@code r} is
 * p x n row-major, upper triangular with explicit zeros below the diagonal.
 */
public record Qr(int m, int n, float[] q, float[] r) {

    public int p() {
        return Math.min(m, n);
    }
}
