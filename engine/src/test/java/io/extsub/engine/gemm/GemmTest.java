package io.extsub.engine.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blocked, skinny and transposed paths against the float64 triple loop, on both kernel
 * implementations this JVM has and on 1 and 2 threads. Shapes straddle the micro-tile
 * (5x64 vector, 4x4 scalar), KC and the skinny threshold.
 */
class GemmTest {

    static List<FloatKernels> kernelSets() {
        // the selected kernels, the other vector tile shape (5x4 for 32 registers, 6x2 for 16),
        // and the scalar twin
        List<FloatKernels> l = new ArrayList<>();
        l.add(Kernels.get());
        for (FloatKernels v : Kernels.vectorTileVariants()) {
            if (v.microKernel().getClass() != Kernels.get().microKernel().getClass()) {
                l.add(v);
            }
        }
        if (!Kernels.get().name().equals("scalar")) {
            l.add(Kernels.scalar());
        }
        return l;
    }

    /** Names a kernel set in failure messages: its width and its tile shape. */
    static String who(FloatKernels k) {
        return k.name() + "/" + k.microKernel().getClass().getSimpleName();
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {{1, 1, 1}, {5, 64, 1}, {4, 4, 4}, {6, 65, 63}, {7, 13, 65}, {11, 129, 300}, {64, 31, 257},
            {97, 3, 200}, {300, 32, 129}, {2, 700, 70}, {131, 67, 513}, {33, 300, 17}, {9, 1030, 64}};
        List<Arguments> out = new ArrayList<>();
        long seed = 42;
        for (int[] s : mnk) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    out.add(Arguments.of(s[0], s[1], s[2], ta, tb, seed++));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} {3}{4} seed={5}")
    @MethodSource("shapes")
    void matchesNaiveOnEveryPathAndThreadCount(int m, int n, int k, Transpose ta, Transpose tb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lda = (ta == Transpose.NO ? k : m) + r.nextInt(3);
        int ldb = (tb == Transpose.NO ? n : k) + r.nextInt(3);
        int ldc = n + r.nextInt(3);
        int aRows = ta == Transpose.NO ? m : k, bRows = tb == Transpose.NO ? k : n;
        HeapMatrix a = new HeapMatrix(fill(r, 2 + aRows * lda), 2, lda);
        HeapMatrix b = new HeapMatrix(fill(r, 1 + bRows * ldb), 1, ldb);
        float[] c0 = fill(r, 3 + m * ldc);
        float alpha = (float) r.nextDouble(-2, 2), beta = (float) r.nextDouble(-1, 1);
        float[] want = c0.clone();
        NaiveGemm.gemm(ta, tb, m, n, k, alpha, a, b, beta, want, 3, ldc);
        for (FloatKernels kern : kernelSets()) {
            for (int threads = 1; threads <= 2; threads++) {
                float[] got = c0.clone();
                GemmEngine.of(kern, threads).gemm(ta, tb, m, n, k, alpha, a, b, beta, got, 3, ldc);
                assertClose(want, got, k, Math.abs(alpha), GemmTest.who(kern) + " threads=" + threads);
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInCAndAlphaZeroOnlyScales() {
        SplittableRandom r = new SplittableRandom(7);
        int m = 23, n = 70, k = 90;
        HeapMatrix a = HeapMatrix.of(fill(r, m * k), k), b = HeapMatrix.of(fill(r, k * n), n);
        for (FloatKernels kern : kernelSets()) {
            float[] c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN);
            GemmEngine.of(kern, 2).gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, b, 0f, c, 0, n);
            float[] want = new float[m * n];
            NaiveGemm.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, b, 0f, want, 0, n);
            assertClose(want, c, k, 1, GemmTest.who(kern));

            float[] c2 = fill(r, m * n), expect = c2.clone();
            HeapMatrix nanA = HeapMatrix.of(new float[m * k], k);
            java.util.Arrays.fill(nanA.data(), Float.NaN);
            GemmEngine.of(kern, 1).gemm(Transpose.NO, Transpose.NO, m, n, k, 0f, nanA, b, 2f, c2, 0, n);
            for (int i = 0; i < expect.length; i++) assertEquals(2f * expect[i], c2[i], 0f);
        }
    }

    @Test
    void segmentOperandsInEveryTypeWithStrides() {
        SplittableRandom r = new SplittableRandom(11);
        int m = 101, n = 90, k = 130; // above the parallel threshold: workers decode the shared segments
        try (Arena arena = Arena.ofShared()) {
            for (ElementType t : ElementType.values()) {
                for (Transpose ta : Transpose.values()) {
                    // A stored k x m (for YES) or m x k, B with a column stride of 2 (non-unit stride path)
                    int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
                    SegmentMatrix a = segment(arena, r, t, aRows, aCols, 3, 1);
                    SegmentMatrix b = segment(arena, r, t, k, n, 1, 2);
                    float[] want = new float[m * n], got = new float[m * n];
                    NaiveGemm.gemm(ta, Transpose.NO, m, n, k, 1f, a, b, 0f, want, 0, n);
                    for (FloatKernels kern : kernelSets()) {
                        GemmEngine.of(kern, 2).gemm(ta, Transpose.NO, m, n, k, 1f, a, b, 0f, got, 0, n);
                        assertClose(want, got, k, 1, t + " " + ta + " " + GemmTest.who(kern));
                    }
                }
            }
        }
    }

    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int m = 150, n = 140, k = 160;
        HeapMatrix a = HeapMatrix.of(fill(r, m * k), k), b = HeapMatrix.of(fill(r, k * n), n);
        float[] want = new float[m * n];
        NaiveGemm.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, b, 0f, want, 0, n);
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread[] ts = new Thread[3];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int it = 0; it < 5; it++) {
                        assertClose(want, Gemm.multiply(a.data(), b.data(), m, k, n), k, 1, "concurrent");
                    }
                } catch (Throwable e) {
                    err.set(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        if (err.get() != null) fail(err.get());
    }

    static SegmentMatrix segment(Arena arena, SplittableRandom r, ElementType t, int rows, int cols, int byteOff, int colStride) {
        long rowStride = (long) cols * colStride + 1;
        long bytes = byteOff + (rows * rowStride + 1) * t.byteSize();
        MemorySegment seg = arena.allocate(bytes, 1);
        float[] one = new float[1];
        SegmentMatrix sm = new SegmentMatrix(seg, byteOff, t, rowStride, colStride);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                one[0] = (float) r.nextDouble(-1, 1);
                long at = byteOff + (i * rowStride + (long) j * colStride) * t.byteSize();
                Kernels.scalar().fromFloat(one, 0, seg, at, t, 1);
            }
        }
        return sm;
    }

    static float[] fill(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    /** Entries in [-1, 1]: error of a k-term float sum is below k * eps * |alpha| (plus the beta term). */
    static void assertClose(float[] want, float[] got, int k, double alpha, String what) {
        double tol = 4 * (k + 2) * 0x1p-23 * Math.max(1, alpha) + 1e-6;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(what + ": element " + i + " want " + want[i] + " got " + got[i] + " tol " + tol);
            }
        }
        assertTrue(true);
    }
}
