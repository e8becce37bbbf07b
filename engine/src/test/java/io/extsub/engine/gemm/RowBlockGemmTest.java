package io.extsub.engine.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.Kernels;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RowBlockGemm} against a float64 triple loop over (A - base) X and (A - base)^T X, each with and
 * without a base: every element type,
 * unit and non-unit column strides, one and several row blocks (k = 700: blocks of 748 rows),
 * shared (split over threads) and confined (caller only) arenas, X and Y with offsets and
 * padded strides, beta = 0 over NaN (Y must not be read), 1 and 0.7.
 */
class RowBlockGemmTest {

    @Test
    void blocksOfAXAreWholeTilePanelsWithinTheBlockSize() {
        int mr = Kernels.get().microKernel().mr();
        for (int k : new int[] {1, 7, 64, 4096, 11008, 1 << 17, RowBlockGemm.BLOCK_FLOATS, 1 << 21}) {
            for (int m : new int[] {1, 5, 6, 127, 128, 100_000}) {
                int rows = RowBlockGemm.blockRows(m, k);
                int natural = Math.max(1, RowBlockGemm.BLOCK_FLOATS / k);
                String at = "m=" + m + " k=" + k + " rows=" + rows;
                assertTrue(rows >= 1 && rows <= m && rows <= natural, at);
                if (rows < m) {
                    // not cut short by m: as many whole panels as fit, or one row per block when not even one panel fits
                    assertEquals(natural >= mr ? natural / mr * mr : natural, rows, at);
                }
            }
        }
    }

    static Stream<Arguments> cases() {
        int[][] mnk = {{1000, 26, 700}, {40, 74, 700}, {7, 3, 50}, {1600, 5, 700}, {33, 40, 1}};
        float[] betas = {0f, 1f, 0.7f};
        List<Arguments> out = new ArrayList<>();
        long seed = 4100;
        for (int[] s : mnk) {
            for (ElementType t : ElementType.values()) {
                // every product with and without a base (the transposed one without a base packs
                // the stored rows in place, with one it decodes the difference first)
                for (boolean transposed : new boolean[] {false, true}) {
                    for (boolean withBase : new boolean[] {false, true}) {
                        out.add(Arguments.of(s[0], s[1], s[2], t, transposed, betas[(int) (seed % 3)], withBase, seed % 3 != 2, seed));
                        seed++;
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} {3} transposed={4} beta={5} withBase={6} shared={7} seed={8}")
    @MethodSource("cases")
    void matchesFloat64Reference(int m, int n, int k, ElementType t, boolean transposed, float beta, boolean withBase, boolean shared, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = shared ? Arena.ofShared() : Arena.ofConfined()) {
            int colStride = 1 + (int) (seed % 3 == 0 ? 1 : 0);
            SegmentMatrix a = GemmTest.segment(arena, r, t, m, k, 3, colStride);
            SegmentMatrix base = withBase ? GemmTest.segment(arena, r, t, m, k, 1, 1) : null;
            int ldx = n + r.nextInt(3), xOff = r.nextInt(3);
            int ldy = n + r.nextInt(3), yOff = r.nextInt(3);
            int inner = transposed ? m : k, outer = transposed ? k : m;
            float[] x = GemmTest.fill(r, xOff + inner * ldx);
            float[] y0 = GemmTest.fill(r, yOff + outer * ldy);
            if (beta == 0f) {
                Arrays.fill(y0, Float.NaN);
            }
            float alpha = (float) r.nextDouble(0.5, 2);
            float[] want = y0.clone();
            for (int i = 0; i < outer; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < inner; p++) {
                        int ai = transposed ? p : i, ap = transposed ? i : p;
                        double d = (double) a.get(ai, ap) - (base == null ? 0 : base.get(ai, ap));
                        s += d * x[xOff + p * ldx + j];
                    }
                    int at = yOff + i * ldy + j;
                    want[at] = (float) (alpha * s + (beta == 0f ? 0 : (double) beta * y0[at]));
                }
            }
            float[] got = y0.clone();
            if (transposed) {
                RowBlockGemm.multiplyTransposed(a, base, m, n, k, alpha, x, xOff, ldx, beta, got, yOff, ldy);
            } else {
                RowBlockGemm.multiply(a, base, m, n, k, alpha, x, xOff, ldx, beta, got, yOff, ldy);
            }
            for (int i = 0; i < y0.length; i++) {
                boolean inside = i >= yOff && (i - yOff) % ldy < n;
                if (!inside) {
                    if (Float.floatToRawIntBits(y0[i]) != Float.floatToRawIntBits(got[i])) {
                        fail("element " + i + " outside Y changed");
                    }
                    want[i] = 0f;
                    got[i] = 0f;
                }
            }
            // differences lie in [-2, 2]: twice the bound for entries in [-1, 1]
            GemmTest.assertClose(want, got, inner, 2 * alpha, t + " colStride=" + colStride);
        }
    }
}
