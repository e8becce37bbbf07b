package io.extsub.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reductions give the same bits before and after the JIT compiles them. With the Vector
 * API's {@code reduceLanes(ADD)} the first (interpreted) dot product of 150 floats and the
 * same one after two million calls (C2 code) differed in the last bit on an AVX2 host, which
 * made a Householder QR of one matrix differ between early and late calls of one process.
 */
class ReductionDeterminismTest {
    private static final FloatKernels K = Kernels.get();

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {3, 4})
    void sameBitsColdAndCompiled(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 150;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
        }
        float dotCold = K.dot(x, 0, y, 0, n);
        double squaresCold = K.sumOfSquares(x, 0, n);
        float sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += K.dot(x, i & 7, y, 0, n - 8);
            sink += (float) K.sumOfSquares(y, i & 7, n - 8);
        }
        assertEquals(Float.floatToRawIntBits(dotCold), Float.floatToRawIntBits(K.dot(x, 0, y, 0, n)),
                K.name() + " dot (sink " + sink + ")");
        assertEquals(Double.doubleToRawLongBits(squaresCold), Double.doubleToRawLongBits(K.sumOfSquares(x, 0, n)),
                K.name() + " sumOfSquares");
    }
}
