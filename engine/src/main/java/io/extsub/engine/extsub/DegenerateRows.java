package io.extsub.engine.extsub;

/**
 * How many rows of one Ext-Sub took a limit of the closed form instead of the generic
 * case (the reference implementation returns NaN for all of them):
 * {@code zeroAnti}: |w2| = 0, the row is w1 unchanged (rows where both are zero count here);
 * {@code zeroExpert}: |w1| = 0 (and |w2| > 0), no common direction, the row is -alpha*w2;
 * {@code antiparallel}: cos(w1, w2) within {@link RowRule#ANTIPARALLEL_TOLERANCE} of -1,
 * where n1 + n2 vanishes; the closed form stays exact, (1 + alpha*rho/2) w1 - (alpha/2) w2.
 */
public record DegenerateRows(long zeroAnti, long zeroExpert, long antiparallel) {

    public static final DegenerateRows NONE = new DegenerateRows(0, 0, 0);

    public long total() {
        return zeroAnti + zeroExpert + antiparallel;
    }

    public DegenerateRows plus(DegenerateRows o) {
        return new DegenerateRows(zeroAnti + o.zeroAnti, zeroExpert + o.zeroExpert, antiparallel + o.antiparallel);
    }
}
