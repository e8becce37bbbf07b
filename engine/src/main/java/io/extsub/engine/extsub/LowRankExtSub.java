package io.extsub.engine.extsub;

import io.extsub.engine.lowrank.LowRankPair;

/**
 * Ext-Sub, subtraction and addition on factored LoRA deltas, exactly and without ever
 * forming the rows x cols delta. With W1 = s1 B1 A1 and W2 = s2 B2 A2, every result is a
 * per-row combination g1_i w1_i + g2_i w2_i, hence
 * {@code out = [diag(g1) s1 B1 | diag(g2) s2 B2] [A1 ; A2]}, of rank r1 + r2.
 *
 * <p>Row norms come from thin QRs A1^T = Q1 R1 and A2^T = Q2 R2:
 * |w1_i| = |s1| |R1 b1_i| and |w2_i| = |s2| |R2 b2_i| ({@link FactorNorms}); working from R
 * instead of the Gram matrix A A^T avoids squaring the condition number. The row dot
 * products s1 s2 b1_i^T (A1 A2^T) b2_i serve only to count antiparallel rows (the result
 * itself depends on the norms alone), so they are computed only for the rows that pass the
 * {@link AntiparallelScreen}, with A1 A2^T formed once a first row does. Cost
 * O(cols (r1^2 + r2^2) + rows (r1^2 + r2^2)), plus O(cols r1 r2) in a module with a row that
 * may be antiparallel.
 *
 * <p>Rows go in blocks of {@link RowBlockNorms#BLOCK}: the norms, the row factors and the
 * output rows of a block are computed by methods called once per block, so that in a
 * short-lived JVM they are compiled within the first module (see {@link FactorNorms}).
 */
public final class LowRankExtSub {
    private LowRankExtSub() {}

    /** Ext-Sub of expert and anti-expert with strength alpha. */
    public static ExtSubResult extSub(LowRankOperand expert, LowRankOperand anti, double alpha) {
        checkShapes(expert, anti);
        int rows = expert.rows(), cols = expert.cols(), r1 = expert.rank(), r2 = anti.rank();
        int p1 = Math.min(r1, cols), p2 = Math.min(r2, cols);
        double[] rf1 = FactorNorms.rOfRows(expert.a(), r1, cols);
        double[] rf2 = FactorNorms.rOfRows(anti.a(), r2, cols);
        float[][] z = AntiparallelScreen.signs(cols);
        double[] y1 = AntiparallelScreen.project(expert.a(), r1, cols, z);
        double[] y2 = AntiparallelScreen.project(anti.a(), r2, cols, z);
        double[] ct = null; // A2 A1^T, once a row passes the screen

        int block = RowBlockNorms.BLOCK;
        double[] bt1 = new double[Math.multiplyExact(r1, block)];
        double[] bt2 = new double[Math.multiplyExact(r2, block)];
        double[] u = new double[block];
        double[] sq1 = new double[block], sq2 = new double[block], dots = new double[block];
        double[] p1a = new double[block], p1b = new double[block], p2a = new double[block], p2b = new double[block];
        double[] g1 = new double[block], g2 = new double[block], scratch = new double[r1];
        double sign = Math.signum(expert.scale() * anti.scale());
        long[] kinds = new long[4];
        float[] b = new float[Math.multiplyExact(rows, Math.addExact(r1, r2))];
        for (int i0 = 0; i0 < rows; i0 += block) {
            int count = Math.min(block, rows - i0);
            RowBlockNorms.gather(expert.b(), i0, count, r1, bt1);
            RowBlockNorms.gather(anti.b(), i0, count, r2, bt2);
            RowBlockNorms.normsSquared(rf1, p1, r1, bt1, count, u, sq1);
            RowBlockNorms.normsSquared(rf2, p2, r2, bt2, count, u, sq2);
            RowBlockNorms.combine(y1, 0, r1, bt1, count, p1a);
            RowBlockNorms.combine(y1, r1, r1, bt1, count, p1b);
            RowBlockNorms.combine(y2, 0, r2, bt2, count, p2a);
            RowBlockNorms.combine(y2, r2, r2, bt2, count, p2b);
            if (screen(sq1, sq2, p1a, p1b, p2a, p2b, sign, cols, count, dots)) {
                if (ct == null) {
                    ct = FactorNorms.crossProducts(anti.a(), r2, expert.a(), r1, cols);
                }
                for (int t = 0; t < count; t++) {
                    if (Double.isNaN(dots[t])) {
                        int i = i0 + t;
                        dots[t] = FactorNorms.bilinearT(ct, expert.b(), i * r1, r1, anti.b(), i * r2, r2, scratch);
                    }
                }
            }
            rowFactors(sq1, sq2, dots, count, expert.scale(), anti.scale(), alpha, g1, g2, kinds);
            assembleRows(expert, anti, g1, g2, i0, count, b);
        }
        return new ExtSubResult(new LowRankPair(rows, cols, r1 + r2, b, stackA(expert, anti)), RowRule.count(kinds));
    }

    /**
     * W1 + c W2 as the rank r1+r2 pair [s1 B1 | c s2 B2] [A1 ; A2]: subtraction is
     * c = -alpha, addition c = +alpha.
     */
    public static LowRankPair combine(LowRankOperand expert, LowRankOperand anti, double c) {
        checkShapes(expert, anti);
        int rows = expert.rows(), block = RowBlockNorms.BLOCK;
        double[] g1 = new double[block];
        double[] g2 = new double[block];
        java.util.Arrays.fill(g1, 1.0);
        java.util.Arrays.fill(g2, c);
        float[] b = new float[Math.multiplyExact(rows, Math.addExact(expert.rank(), anti.rank()))];
        for (int i0 = 0; i0 < rows; i0 += block) {
            assembleRows(expert, anti, g1, g2, i0, Math.min(block, rows - i0), b);
        }
        return new LowRankPair(rows, expert.cols(), expert.rank() + anti.rank(), b, stackA(expert, anti));
    }

    private static void checkShapes(LowRankOperand x, LowRankOperand y) {
        if (x.rows() != y.rows() || x.cols() != y.cols()) {
            throw new IllegalArgumentException("delta shapes differ: " + x.rows() + "x" + x.cols()
                    + " vs " + y.rows() + "x" + y.cols());
        }
    }

    /**
     * dots[t] = NaN for the rows of a block that may be antiparallel (their exact dot product is
     * still to be computed), 0 for the others: a row that fails the screen is not antiparallel,
     * and with dot 0 {@link RowRule} calls it generic. Returns whether any row passed.
     */
    private static boolean screen(double[] sq1, double[] sq2, double[] p1a, double[] p1b, double[] p2a, double[] p2b,
            double sign, int cols, int count, double[] dots) {
        boolean any = false;
        for (int t = 0; t < count; t++) {
            boolean maybe = sq1[t] != 0 && sq2[t] != 0 && sign != 0
                    && AntiparallelScreen.mayBeAntiparallel(sq1[t], sq2[t], p1a[t], p1b[t], p2a[t], p2b[t], sign, cols);
            dots[t] = maybe ? Double.NaN : 0;
            any |= maybe;
        }
        return any;
    }

    /** g1[t], g2[t] of {@link RowRule} from the squared factor norms and dots of a block; counts the kinds. */
    private static void rowFactors(double[] sq1, double[] sq2, double[] dots, int count, double s1, double s2,
            double alpha, double[] g1, double[] g2, long[] kinds) {
        double[] g = new double[2];
        for (int t = 0; t < count; t++) {
            double norm1 = Math.abs(s1) * Math.sqrt(sq1[t]);
            double norm2 = Math.abs(s2) * Math.sqrt(sq2[t]);
            double dot = norm1 == 0 || norm2 == 0 ? 0 : s1 * s2 * dots[t];
            kinds[RowRule.factors(norm1, norm2, dot, alpha, g)]++;
            g1[t] = g[0];
            g2[t] = g[1];
        }
    }

    /** [A1 ; A2], (r1+r2) x cols row-major. */
    private static float[] stackA(LowRankOperand x, LowRankOperand y) {
        float[] a = new float[Math.addExact(x.a().length, y.a().length)];
        System.arraycopy(x.a(), 0, a, 0, x.a().length);
        System.arraycopy(y.a(), 0, a, x.a().length, y.a().length);
        return a;
    }

    /**
     * Rows row0 .. row0+count of B = [diag(g1) s1 B1 | diag(g2) s2 B2] (g indexed from the
     * block start), products in float64, rounded once.
     */
    private static void assembleRows(LowRankOperand x, LowRankOperand y, double[] g1, double[] g2, int row0,
            int count, float[] b) {
        int r1 = x.rank(), r2 = y.rank(), rr = r1 + r2;
        float[] b1 = x.b(), b2 = y.b();
        double s1 = x.scale(), s2 = y.scale();
        for (int t = 0; t < count; t++) {
            int i = row0 + t, o = i * rr;
            double f1 = g1[t] * s1, f2 = g2[t] * s2;
            for (int j = 0; j < r1; j++) {
                b[o + j] = (float) (f1 * b1[i * r1 + j]);
            }
            for (int j = 0; j < r2; j++) {
                b[o + r1 + j] = (float) (f2 * b2[i * r2 + j]);
            }
        }
    }
}
