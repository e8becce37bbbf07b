package io.extsub.cli.demo;

/**
 * Row cosines of a generated pair's true deltas {@code s1 B1 A1} and {@code s2 B2 A2}, in
 * float64 (the scales do not change a cosine, so they are left out). Used to describe the demo
 * pair and to test that the generator makes the spread it promises.
 */
public final class PairStats {
    private PairStats() {}

    /** min and max of cos(w1_i, w2_i) over the rows of one module. */
    public record CosineRange(double min, double max) {
        CosineRange merge(CosineRange o) {
            return new CosineRange(Math.min(min, o.min), Math.max(max, o.max));
        }
    }

    public static double[] rowCosines(ModuleFactors f) {
        int r = f.rank();
        int in = f.in();
        double[] w1 = new double[in];
        double[] w2 = new double[in];
        double[] cos = new double[f.out()];
        for (int i = 0; i < f.out(); i++) {
            java.util.Arrays.fill(w1, 0);
            java.util.Arrays.fill(w2, 0);
            for (int p = 0; p < r; p++) {
                double c1 = f.b1()[i * r + p];
                double c2 = f.b2()[i * r + p];
                for (int j = 0; j < in; j++) {
                    w1[j] += c1 * f.a1()[p * in + j];
                    w2[j] += c2 * f.a2()[p * in + j];
                }
            }
            double dot = 0;
            double n1 = 0;
            double n2 = 0;
            for (int j = 0; j < in; j++) {
                dot += w1[j] * w2[j];
                n1 += w1[j] * w1[j];
                n2 += w2[j] * w2[j];
            }
            cos[i] = dot / Math.sqrt(n1 * n2);
        }
        return cos;
    }

    public static CosineRange cosineRange(PairSpec spec) {
        CosineRange all = new CosineRange(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        for (int layer = 0; layer < spec.layers(); layer++) {
            for (int m = 0; m < spec.modules().size(); m++) {
                double[] c = rowCosines(LoraPairGenerator.module(spec, layer, m));
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (double v : c) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                all = all.merge(new CosineRange(lo, hi));
            }
        }
        return all;
    }
}
