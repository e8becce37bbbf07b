package io.extsub.peft;

/**
 * Optional recompression of each LoRA module's exact result (rank r1+r2): to a fixed rank,
 * or to the smallest rank whose relative Frobenius error is at most a tolerance.
 */
public sealed interface RankLimit permits RankLimit.Rank, RankLimit.Tolerance {

    record Rank(int rank) implements RankLimit {
        public Rank {
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be >= 1, got " + rank);
            }
        }
    }

    record Tolerance(double tolerance) implements RankLimit {
        public Tolerance {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
            }
        }
    }
}
