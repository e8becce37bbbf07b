package io.extsub.engine.linalg;

import java.util.SplittableRandom;

/** Float64 reference helpers for the linalg tests, independent of the code under test. */
public final class TestMatrices {
    private TestMatrices() {}

    public static float[] gaussian(SplittableRandom rng, int m, int n) {
        float[] x = new float[m * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** m x k row-major with orthonormal columns (modified Gram-Schmidt, twice, in float64). */
    public static double[] orthonormalColumns(SplittableRandom rng, int m, int k) {
        double[] q = new double[m * k];
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextGaussian();
        }
        for (int j = 0; j < k; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int c = 0; c < j; c++) {
                    double d = 0;
                    for (int i = 0; i < m; i++) {
                        d += q[i * k + c] * q[i * k + j];
                    }
                    for (int i = 0; i < m; i++) {
                        q[i * k + j] -= d * q[i * k + c];
                    }
                }
            }
            double nrm = 0;
            for (int i = 0; i < m; i++) {
                nrm += q[i * k + j] * q[i * k + j];
            }
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < m; i++) {
                q[i * k + j] /= nrm;
            }
        }
        return q;
    }

    /** U diag(s) V^T with random orthonormal U (m x k) and V (n x k), k = s.length, in float64. */
    public static double[] withSpectrum(SplittableRandom rng, int m, int n, double[] s) {
        int k = s.length;
        double[] u = orthonormalColumns(rng, m, k);
        double[] v = orthonormalColumns(rng, n, k);
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                double us = u[i * k + t] * s[t];
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += us * v[j * k + t];
                }
            }
        }
        return a;
    }

    public static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** a (m x k) times b (k x n), row-major, float64. */
    public static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                double x = a[i * k + t];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * b[t * n + j];
                }
            }
        }
        return c;
    }

    public static double[] transpose(double[] a, int m, int n) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }

    public static double frobenius(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    public static double frobeniusDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** max |Q^T Q - I| for Q m x k row-major. */
    public static double orthogonalityError(double[] q, int m, int k) {
        double worst = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a; b < k; b++) {
                double d = 0;
                for (int i = 0; i < m; i++) {
                    d += q[i * k + a] * q[i * k + b];
                }
                worst = Math.max(worst, Math.abs(d - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    /** U diag(s) Vt in float64: u m x k, vt k x n. */
    public static double[] reconstruct(double[] u, double[] s, double[] vt, int m, int k, int n) {
        double[] us = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                us[i * k + t] = u[i * k + t] * s[t];
            }
        }
        return multiply(us, vt, m, k, n);
    }
}
