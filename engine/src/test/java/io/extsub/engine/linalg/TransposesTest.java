package io.extsub.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransposesTest {

    /** Both loop orders (tall and wide inputs), with partial tiles on every side. */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "1, 9", "9, 1", "33, 17", "17, 33", "100, 100", "257, 40", "40, 257"})
    void elementIJMovesToJI(int m, int n) {
        SplittableRandom rng = new SplittableRandom(31L * m + n);
        float[] a = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        float[] t = Transposes.transpose(a, m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(a[i * n + j], t[j * m + i], "(" + i + ", " + j + ")");
            }
        }
    }
}
