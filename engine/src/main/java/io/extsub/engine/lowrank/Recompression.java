package io.extsub.engine.lowrank;

/** Exact recompression of a low-rank pair (thin QR of B and of A^T, SVD of the small core). */
public final class Recompression {
    private Recompression() {}

    /** The best rank-min(rank, p.rank()) approximation of p. */
    public static Truncation toRank(LowRankPair p, int rank) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The smallest rank whose relative Frobenius error is <= tol. */
    public static Truncation toTolerance(LowRankPair p, double tol) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
