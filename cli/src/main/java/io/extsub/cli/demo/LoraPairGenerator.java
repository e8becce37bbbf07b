package io.extsub.cli.demo;

import java.util.SplittableRandom;

/**
 * Makes expert / anti-expert LoRA factors that are correlated the way trained pairs are:
 * part of what the anti-expert learned is shared with the expert (general skill), part is its
 * own (the deficiency Ext-Sub should remove).
 *
 * <p>Per module, with r = rank and k = r/2:
 * <ul>
 * <li>{@code A1 = [S ; E1]} and {@code A2 = [S + 0.1 N ; E2]}: S (k x in) spans directions
 *     both adapters use, E1 and E2 ((r-k) x in) their own ones. Entries are Gaussian with
 *     standard deviation 1/sqrt(in), so every row of A has norm about 1, as after LoRA's
 *     Kaiming-style initialisation and training.</li>
 * <li>Row i of the merged deltas gets a target cosine c_i drawn uniformly from [-0.25, 0.95]:
 *     {@code b1_i = m1_i [x_i, a y1_i]}, {@code b2_i = m2_i [t_i x_i, sqrt(1 - t_i^2) y2_i]} with
 *     unit random x, y1, y2, a = 0.3 and {@code t_i = c_i sqrt(1 + a^2)}. Because the rows of A are
 *     nearly orthonormal for in >> r, cos(w1_i, w2_i) is close to c_i (the perturbation 0.1 N and
 *     the random overlaps spread it a little more).</li>
 * <li>Row magnitudes m are log-normal (sigma 0.5) around 0.01, like trained lora_B rows.</li>
 * </ul>
 * Everything is a function of {@link PairSpec#seed()}, the layer and the module index, so modules
 * can be generated in any order, one at a time (the 70B-shaped pair is never held in memory at once).
 */
public final class LoraPairGenerator {
    private LoraPairGenerator() {}

    static final double COS_MIN = -0.25;
    static final double COS_MAX = 0.95;
    private static final double SPECIFIC_WEIGHT = 0.3;
    private static final double SHARED_PERTURBATION = 0.1;
    private static final double B_SCALE = 0.01;

    public static ModuleFactors module(PairSpec spec, int layer, int moduleIndex) {
        PairSpec.ModuleShape shape = spec.modules().get(moduleIndex);
        int r = spec.rank();
        int k = Math.max(1, r / 2);
        int spec1 = r - k;
        int in = shape.in();
        int out = shape.out();
        SplittableRandom rnd = new SplittableRandom(mix(spec.seed(), layer, moduleIndex));

        double aStd = 1.0 / Math.sqrt(in);
        float[] a1 = new float[r * in];
        float[] a2 = new float[r * in];
        for (int row = 0; row < r; row++) {
            for (int j = 0; j < in; j++) {
                double v1 = rnd.nextGaussian() * aStd;
                double v2;
                if (row < k) {
                    v2 = v1 + SHARED_PERTURBATION * rnd.nextGaussian() * aStd;
                } else {
                    v2 = rnd.nextGaussian() * aStd;
                }
                a1[row * in + j] = (float) v1;
                a2[row * in + j] = (float) v2;
            }
        }

        float[] b1 = new float[out * r];
        float[] b2 = new float[out * r];
        double[] x = new double[k];
        double[] y1 = new double[Math.max(spec1, 1)];
        double[] y2 = new double[Math.max(spec1, 1)];
        double a = SPECIFIC_WEIGHT;
        for (int i = 0; i < out; i++) {
            double c = COS_MIN + (COS_MAX - COS_MIN) * rnd.nextDouble();
            double t = Math.clamp(c * Math.sqrt(1 + a * a), -0.999, 0.999);
            double s = Math.sqrt(1 - t * t);
            unitGaussian(rnd, x, k);
            unitGaussian(rnd, y1, spec1);
            unitGaussian(rnd, y2, spec1);
            double m1 = B_SCALE * Math.exp(0.5 * rnd.nextGaussian());
            double m2 = B_SCALE * Math.exp(0.5 * rnd.nextGaussian());
            for (int j = 0; j < k; j++) {
                b1[i * r + j] = (float) (m1 * x[j]);
                b2[i * r + j] = (float) (m2 * t * x[j]);
            }
            for (int j = 0; j < spec1; j++) {
                b1[i * r + k + j] = (float) (m1 * a * y1[j]);
                b2[i * r + k + j] = (float) (m2 * s * y2[j]);
            }
        }
        return new ModuleFactors(PairSpec.modulePrefix(layer, shape.name()), out, in, r, a1, b1, a2, b2);
    }

    private static void unitGaussian(SplittableRandom rnd, double[] v, int n) {
        if (n == 0) {
            return;
        }
        double ss;
        do {
            ss = 0;
            for (int j = 0; j < n; j++) {
                v[j] = rnd.nextGaussian();
                ss += v[j] * v[j];
            }
        } while (ss < 1e-12);
        double inv = 1 / Math.sqrt(ss);
        for (int j = 0; j < n; j++) {
            v[j] *= inv;
        }
    }

    /** A per-module seed (SplitMix64 finaliser over the three inputs). */
    private static long mix(long seed, int layer, int module) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + layer) + 0xBF58476D1CE4E5B9L * (1 + module);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
