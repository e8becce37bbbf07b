package io.extsub.engine.extsub;

/**
 * A cheap necessary test for antiparallel rows, so that the exact row dot products (which only
 * count those rows: the Ext-Sub result depends on the norms alone) are computed for the few
 * rows that pass it instead of for all of them.
 *
 * <p>With n1, n2 the unit rows, a row is antiparallel when {@code 1 + cos <= }
 * {@link RowRule#ANTIPARALLEL_TOLERANCE}, that is {@code |n1 + n2|^2 = 2 (1 + cos) <= 2e-10}.
 * For any z, {@code |(n1 + n2) . z| <= |n1 + n2| |z|} (Cauchy-Schwarz), so an antiparallel row
 * has {@code |n1 . z + n2 . z| <= 1.42e-5 |z|} for every z. The screen checks this for two
 * fixed sign vectors z (entries +-1, |z| = sqrt(cols)) with a bound of 1e-4 |z|: seven times the
 * exact one, which leaves room for a rounding error up to ~1e-8 relative in the float64 row
 * projections (theirs is about cols * 1e-16 times the condition of A). A row of two generic
 * directions, |n1 + n2| near 1, passes each check with probability ~1e-4 sqrt(cols) / |n1 + n2|,
 * both about once in 40,000 rows for cols = 4096. The projections cost 2 (r1 + r2) multiply-adds
 * per row after 2 (r1 + r2) cols for A z, against r1 r2 cols for A1 A2^T plus r1 r2 per row.
 */
final class AntiparallelScreen {
    /** The screen's bound on |q| / |z|, against the exact 1.42e-5 of an antiparallel row. */
    static final double BOUND = 1e-4;

    private AntiparallelScreen() {}

    /** The two sign vectors z1, z2 for rows of {@code cols} columns (the same for both factors of a module). */
    static float[][] signs(int cols) {
        float[] z1 = new float[cols], z2 = new float[cols];
        for (int j = 0; j < cols; j++) {
            long h = mix(j);
            z1[j] = h < 0 ? -1 : 1;
            z2[j] = (h & 0x4000_0000_0000_0000L) != 0 ? -1 : 1;
        }
        return new float[][] {z1, z2};
    }

    /**
     * y = [A z1 ; A z2] (2 x rank) for the rank x cols row-major A and the sign vectors of
     * {@link #signs}, in float64 ({@link FactorNorms#dot}; the signs are exact in float32): then
     * b . y[0 .. rank) is w . z1 for the row w = b A.
     */
    static double[] project(float[] a, int rank, int cols, float[][] z) {
        double[] y = new double[Math.multiplyExact(2, rank)];
        for (int k = 0; k < rank; k++) {
            y[k] = FactorNorms.dot(a, k * cols, z[0], 0, cols);
            y[rank + k] = FactorNorms.dot(a, k * cols, z[1], 0, cols);
        }
        return y;
    }

    /**
     * True when the row may be antiparallel: |n1 . z + n2 . z| within {@link #BOUND} |z| for
     * both sign vectors. {@code sq1}, {@code sq2} are the squared norms of the unscaled rows b A,
     * {@code p1a}, {@code p1b} the row's projections b1 . y1 (first and second half of
     * {@link #project}), likewise for the anti-expert; {@code sign} is the sign of s1 s2, the
     * product of the two adapters' scalings. Both norms must be nonzero.
     */
    static boolean mayBeAntiparallel(double sq1, double sq2, double p1a, double p1b, double p2a, double p2b,
            double sign, int cols) {
        double inv1 = 1 / Math.sqrt(sq1), inv2 = sign / Math.sqrt(sq2);
        double bound = BOUND * Math.sqrt(cols);
        return Math.abs(p1a * inv1 + p2a * inv2) <= bound && Math.abs(p1b * inv1 + p2b * inv2) <= bound;
    }

    /** The SplitMix64 finalizer of the column index: bit 63 and bit 62 are the two signs. */
    private static long mix(long j) {
        long z = j * 0x9E37_79B9_7F4A_7C15L + 0x6A09_E667_F3BC_C909L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
