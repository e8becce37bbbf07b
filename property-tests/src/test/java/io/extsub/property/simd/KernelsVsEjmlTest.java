package io.extsub.property.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.mult.VectorVectorMult_FDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded properties: the selected kernels (vector or scalar, per surefire execution) and
 * their scalar twin against EJML's level-1 operations on random lengths and offsets.
 */
class KernelsVsEjmlTest {
    private static final FloatKernels K = Kernels.get();

    static LongStream seeds() {
        return LongStream.range(0, 60).map(i -> 0xC0FFEEL + i);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void level1MatchesEjml(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = r.nextInt(4) == 0 ? r.nextInt(50) : r.nextInt(5000);
        int off = r.nextInt(9);
        FMatrixRMaj x = new FMatrixRMaj(n, 1), y = new FMatrixRMaj(n, 1);
        float[] xs = new float[off + n], ys = new float[off + n];
        double absDot = 0;
        for (int i = 0; i < n; i++) {
            xs[off + i] = (float) r.nextDouble(-10, 10);
            ys[off + i] = (float) r.nextDouble(-10, 10);
            x.data[i] = xs[off + i];
            y.data[i] = ys[off + i];
            absDot += Math.abs((double) xs[off + i] * ys[off + i]);
        }
        double tol = 2.0 * (n + 1) * 0x1p-23 * absDot + 1e-30;
        assertEquals(VectorVectorMult_FDRM.innerProd(x, y), K.dot(xs, off, ys, off, n), tol, "dot");
        assertEquals(Kernels.scalar().dot(xs, off, ys, off, n), K.dot(xs, off, ys, off, n), tol, "dot vs scalar twin");
        assertEquals(n == 0 ? 0f : CommonOps_FDRM.elementMaxAbs(x), K.maxAbs(xs, off, n), 0f, "maxAbs");
        assertEquals(VectorVectorMult_FDRM.innerProd(x, x), K.sumOfSquares(xs, off, n), tol, "sumOfSquares");

        float alpha = (float) r.nextDouble(-2, 2);
        FMatrixRMaj want = new FMatrixRMaj(n, 1);
        CommonOps_FDRM.add(y, alpha, x, want);
        float[] got = ys.clone();
        K.axpy(alpha, xs, off, got, off, n);
        for (int i = 0; i < n; i++) {
            assertEquals(want.data[i], got[off + i], 2 * Math.ulp(want.data[i]) + 1e-6f, "axpy " + i);
        }
        CommonOps_FDRM.scale(alpha, x);
        K.scale(alpha, xs, off, n);
        for (int i = 0; i < n; i++) {
            assertEquals(x.data[i], xs[off + i], 0f, "scale " + i);
        }
    }
}
