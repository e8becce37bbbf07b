package io.extsub.property.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.GemmEngine;
import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded properties: Gemm against EJML {@code CommonOps_FDRM.mult / multTransA / multTransB /
 * multTransAB} on random shapes (1, primes, sizes around the micro-tiles 5x64, 6x16 / 4x4, KC = 256,
 * MC = 510 and the skinny threshold k = 64), both transposes, random strides and offsets,
 * alpha/beta including 0 (NaN in C with beta = 0), and every operand storage type.
 * The surefire execution decides the path: vector kernels in default-test (both tile shapes),
 * scalar in test-scalar.
 * Replay a failure with its seed: {@code caseFor(seed)} regenerates everything.
 */
class GemmVsEjmlTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 13, 31, 63, 64, 65, 67, 127, 129, 191, 257, 263, 300, 511, 521};
    private static final float EPS = 0x1p-23f;

    static LongStream seeds() {
        return LongStream.range(0, 160).map(i -> 0x5EED0000L + i);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void gemmMatchesEjml(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = pick(r), n = pick(r), k = pick(r);
        // keep the EJML reference cheap: at most ~2e7 multiply-adds per case
        while ((long) m * n * k > 20_000_000L) {
            if (m >= n && m >= k) m = m / 2 + 1; else if (n >= k) n = n / 2 + 1; else k = k / 2 + 1;
        }
        Transpose ta = r.nextBoolean() ? Transpose.YES : Transpose.NO;
        Transpose tb = r.nextBoolean() ? Transpose.YES : Transpose.NO;
        ElementType typeA = ElementType.values()[r.nextInt(4)];
        ElementType typeB = ElementType.values()[r.nextInt(4)];
        float alpha = switch (r.nextInt(5)) { case 0 -> 0f; case 1 -> 1f; default -> (float) r.nextDouble(-3, 3); };
        float beta = switch (r.nextInt(4)) { case 0 -> 0f; case 1 -> 1f; default -> (float) r.nextDouble(-2, 2); };
        int ldc = n + r.nextInt(4), cOff = r.nextInt(5);
        int threads = 1 + r.nextInt(2);

        try (Arena arena = Arena.ofConfined()) {
            int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
            int bRows = tb == Transpose.NO ? k : n, bCols = tb == Transpose.NO ? n : k;
            FMatrixRMaj ea = new FMatrixRMaj(aRows, aCols), eb = new FMatrixRMaj(bRows, bCols);
            MatrixOperand a = operand(arena, r, typeA, ea);
            MatrixOperand b = operand(arena, r, typeB, eb);

            float[] c0 = new float[cOff + (m - 1) * ldc + n + 3];
            for (int i = 0; i < c0.length; i++) c0[i] = beta == 0f && r.nextBoolean() ? Float.NaN : (float) r.nextDouble(-1, 1);

            FMatrixRMaj prod = new FMatrixRMaj(m, n);
            if (ta == Transpose.NO && tb == Transpose.NO) CommonOps_FDRM.mult(ea, eb, prod);
            else if (ta == Transpose.YES && tb == Transpose.NO) CommonOps_FDRM.multTransA(ea, eb, prod);
            else if (ta == Transpose.NO) CommonOps_FDRM.multTransB(ea, eb, prod);
            else CommonOps_FDRM.multTransAB(ea, eb, prod);

            float maxA = maxAbs(ea.data), maxB = maxAbs(eb.data);
            // Both sides are float sums of k products: each within k * eps * |A| |B| of the exact value.
            double tol = 4.0 * (k + 1) * EPS * Math.abs(alpha) * maxA * maxB + 1e-30;

            // The selected kernels, then the other vector tile shape (5x4 for 32 vector
            // registers, 6x2 for 16), so both are checked whichever this machine selects.
            GemmEngine engine = threads == 2 ? GemmEngine.shared() : GemmEngine.of(Kernels.get(), 1);
            boolean viaFacade = threads == 2 && r.nextBoolean();
            List<GemmEngine> engines = new ArrayList<>(List.of(engine));
            for (FloatKernels v : Kernels.vectorTileVariants()) {
                if (v.microKernel().getClass() != Kernels.get().microKernel().getClass()) {
                    engines.add(GemmEngine.of(v, threads));
                }
            }
            for (GemmEngine e : engines) {
                float[] c = c0.clone();
                if (viaFacade && e == engine) {
                    Gemm.gemm(ta, tb, m, n, k, alpha, a, b, beta, c, cOff, ldc);
                } else {
                    e.gemm(ta, tb, m, n, k, alpha, a, b, beta, c, cOff, ldc);
                }
                String kernels = e.describe();
                for (int i = 0; i < c.length; i++) {
                    int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                    boolean inside = i >= cOff && row < m && col < n;
                    if (!inside) {
                        if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(c0[i])) {
                            fail("seed " + seed + " " + kernels + ": element " + i + " outside C was written");
                        }
                        continue;
                    }
                    double want = alpha == 0f ? 0 : (double) alpha * prod.get(row, col);
                    if (beta != 0f) want += (double) beta * c0[i];
                    double t = tol + (beta != 0f ? 2 * EPS * Math.abs(beta * c0[i]) : 0);
                    if (!(Math.abs(c[i] - want) <= t)) {
                        fail(String.format("seed %d: m=%d n=%d k=%d %s%s A:%s B:%s alpha=%s beta=%s threads=%d kernels=%s: "
                                + "C(%d,%d) = %s, EJML gives %s (tol %.3g)", seed, m, n, k, ta, tb, typeA, typeB, alpha, beta,
                                threads, kernels, row, col, c[i], want, t));
                    }
                }
            }
        }
    }

    private static int pick(SplittableRandom r) {
        return SIZES[r.nextInt(SIZES.length)];
    }

    /**
     * Fills the EJML matrix with values exactly representable in {@code type}, and returns
     * the same values stored as that type: a heap array (F32 only) or a segment with random
     * byte offset and row padding (column stride 1 or 2).
     */
    private static MatrixOperand operand(Arena arena, SplittableRandom r, ElementType type, FMatrixRMaj e) {
        int rows = e.numRows, cols = e.numCols;
        float[] one = new float[1];
        boolean heap = type == ElementType.F32 && r.nextBoolean();
        if (heap) {
            int off = r.nextInt(4), ld = cols + r.nextInt(4);
            float[] data = new float[off + rows * ld];
            Arrays.fill(data, Float.NaN); // padding must never be read
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float v = (float) r.nextDouble(-1, 1);
                    data[off + i * ld + j] = v;
                    e.set(i, j, v);
                }
            }
            return new HeapMatrix(data, off, ld);
        }
        long byteOff = r.nextInt(7);
        long colStride = r.nextInt(4) == 0 ? 2 : 1;
        long rowStride = cols * colStride + r.nextInt(3);
        MemorySegment seg = arena.allocate(byteOff + (rows * rowStride + 1) * type.byteSize(), 1);
        SegmentMatrix sm = new SegmentMatrix(seg, byteOff, type, rowStride, colStride);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                one[0] = (float) r.nextDouble(-1, 1);
                long at = byteOff + (i * rowStride + j * colStride) * type.byteSize();
                Kernels.scalar().fromFloat(one, 0, seg, at, type, 1);
                e.set(i, j, sm.get(i, j)); // the value as stored (rounded to the type)
            }
        }
        return sm;
    }

    private static float maxAbs(float[] x) {
        float m = 0f;
        for (float v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
