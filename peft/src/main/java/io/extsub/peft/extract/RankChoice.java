package io.extsub.peft.extract;

/** How the rank of each extracted module is chosen. */
public sealed interface RankChoice {

    /** The same rank for every module (capped at the module's smaller dimension). */
    record Fixed(int rank) implements RankChoice {
        public Fixed {
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be >= 1, got " + rank);
            }
        }
    }

    /** Per module, the smallest rank (<= maxRank) whose relative Frobenius error is <= tol. */
    record Tolerance(double tol, int maxRank) implements RankChoice {
        public Tolerance {
            if (!(tol > 0 && tol < 1) || maxRank < 1) {
                throw new IllegalArgumentException("need 0 < tol < 1 and maxRank >= 1");
            }
        }
    }
}
