package io.extsub.engine.extsub;

/**
 * The Ext-Sub row rule in closed form (DESIGN.md, "The method in one page"). For rows
 * w1 (expert) and w2 (anti-expert) of the true deltas, the reference computes
 * {@code out = w1 - alpha*w2 + alpha*p} with p the projection of w2 on the bisector of
 * w1 and w2. Since p = (|w2| n1 + w2) / 2,
 * {@code out = (1 + alpha*rho/2) w1 - (alpha/2) w2}, rho = |w2|/|w1|: the output is a
 * per-row combination g1*w1 + g2*w2, which is what keeps factored LoRA results exact.
 */
public final class RowRule {
    /** 1 + cos(w1, w2) at or below this counts as antiparallel (the reference's 0/0). */
    public static final double ANTIPARALLEL_TOLERANCE = 1e-10;

    /** Degenerate-row kinds, as returned by {@link #factors}. */
    public static final int GENERIC = 0, ZERO_ANTI = 1, ZERO_EXPERT = 2, ANTIPARALLEL = 3;

    private RowRule() {}

    /**
     * Writes g1 into {@code g[0]} and g2 into {@code g[1]} so that out = g1*w1 + g2*w2, from
     * the row norms and their dot product (float64), and returns the row's kind.
     */
    public static int factors(double norm1, double norm2, double dot, double alpha, double[] g) {
        if (norm2 == 0) {
            // Nothing to extract: the anti-expert row is empty (reference: 0/0 = NaN).
            g[0] = 1;
            g[1] = 0;
            return ZERO_ANTI;
        }
        if (norm1 == 0) {
            // No common direction exists, so all of w2 counts as deficiency (limit of p -> 0 is
            // not defined; we take the whole row out, as subtraction would).
            g[0] = 0;
            g[1] = -alpha;
            return ZERO_EXPERT;
        }
        g[0] = 1 + alpha * (norm2 / norm1) / 2;
        g[1] = -alpha / 2;
        double cos = dot / (norm1 * norm2);
        return 1 + cos <= ANTIPARALLEL_TOLERANCE ? ANTIPARALLEL : GENERIC;
    }

    static DegenerateRows count(long[] kinds) {
        return new DegenerateRows(kinds[ZERO_ANTI], kinds[ZERO_EXPERT], kinds[ANTIPARALLEL]);
    }
}
