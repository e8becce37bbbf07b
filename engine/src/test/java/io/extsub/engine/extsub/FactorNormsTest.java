package io.extsub.engine.extsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R of A^T = Q R is upper triangular with R^T R = A A^T (computed naively here), and |R b|
 * equals the naive |b A|.
 */
class FactorNormsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void rIsTheCholeskyFactorOfTheGramAndNormsMatchNaive(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rank = 1 + rnd.nextInt(20), cols = 1 + rnd.nextInt(60);
        float[] a = new float[rank * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5);
        }
        boolean deficient = rank > 2 && seed % 2 == 0;
        if (deficient) {
            System.arraycopy(a, 0, a, cols, cols); // a repeated row: R is then defined only up to rounding noise
        }
        double[] r = FactorNorms.rOfRows(a, rank, cols);
        int p = Math.min(rank, cols);
        assertEquals(p * rank, r.length);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, r[i * rank + j], "R[" + i + "][" + j + "] below the diagonal");
            }
        }
        // R^T R = A A^T holds for rank-deficient A too (R itself is then not unique).
        for (int i = 0; i < rank; i++) {
            for (int j = 0; j < rank; j++) {
                double gram = 0, rtr = 0;
                for (int c = 0; c < cols; c++) {
                    gram += (double) a[i * cols + c] * a[j * cols + c];
                }
                for (int k = 0; k < p; k++) {
                    rtr += r[k * rank + i] * r[k * rank + j];
                }
                assertEquals(gram, rtr, 1e-12 * cols, "(R^T R)[" + i + "][" + j + "]" + (deficient ? " (deficient)" : ""));
            }
        }
        float[] b = new float[rank];
        for (int t = 0; t < 5; t++) {
            for (int j = 0; j < rank; j++) {
                b[j] = (float) (rnd.nextDouble() - 0.5);
            }
            double naive = 0;
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int j = 0; j < rank; j++) {
                    s += (double) b[j] * a[j * cols + c];
                }
                naive += s * s;
            }
            assertEquals(Math.sqrt(naive), FactorNorms.normOfRb(r, p, rank, b, 0), 1e-12 * (1 + Math.sqrt(naive)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void crossProductsAreRowDots(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int r1 = 1 + rnd.nextInt(9), r2 = 1 + rnd.nextInt(9), cols = 1 + rnd.nextInt(33);
        float[] a1 = new float[r1 * cols], a2 = new float[r2 * cols];
        for (int i = 0; i < a1.length; i++) {
            a1[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < a2.length; i++) {
            a2[i] = (float) rnd.nextGaussian();
        }
        double[] c = FactorNorms.crossProducts(a1, r1, a2, r2, cols);
        for (int k = 0; k < r1; k++) {
            for (int l = 0; l < r2; l++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += (double) a1[k * cols + j] * a2[l * cols + j];
                }
                assertEquals(s, c[k * r2 + l], 1e-12 * cols);
            }
        }
    }
}
