package io.extsub.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strided register tiles of both vector micro-kernels and of the scalar twin against a
 * float64 loop, for every operand layout BlockedGemm passes: packed panels, A read in place
 * (row-major and transposed), B read in place, with and without overwrite, each inside a
 * larger C whose untouched elements must survive.
 */
class MicroKernelTest {

    enum Layout { PACKED, DIRECT_A_ROWS, DIRECT_A_TRANSPOSED, DIRECT_B }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 11;
        for (Layout layout : Layout.values()) {
            for (int kc : new int[] {1, 7, 64}) {
                for (boolean overwrite : new boolean[] {true, false}) {
                    out.add(Arguments.of(layout, kc, overwrite, seed++));
                }
            }
        }
        return out;
    }

    /** Both vector tile shapes (whichever this machine selects) and the scalar twin. */
    static List<MicroKernel> kernels() {
        List<MicroKernel> out = new ArrayList<>();
        for (FloatKernels v : Kernels.vectorTileVariants()) {
            out.add(v.microKernel());
        }
        out.add(new ScalarMicroKernel());
        return out;
    }

    @ParameterizedTest(name = "{0} kc={1} overwrite={2} seed={3}")
    @MethodSource("cases")
    void tileMatchesFloat64(Layout layout, int kc, boolean overwrite, long seed) {
        for (MicroKernel mk : kernels()) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int mr = mk.mr(), nr = mk.nr();
            // lda / ldb / ldc larger than the tile, and non-zero offsets, so a wrong stride shows
            int lda = (layout == Layout.DIRECT_A_TRANSPOSED ? mr : kc) + 3;
            int ldb = nr + 5;
            int aRs, aPs, bPs;
            int aOff = 2, bOff = 3;
            float[] a, b;
            switch (layout) {
                case PACKED -> { aRs = 1; aPs = mr; bPs = nr; a = random(rnd, aOff + mr * kc); b = random(rnd, bOff + nr * kc); }
                case DIRECT_A_ROWS -> { aRs = lda; aPs = 1; bPs = nr; a = random(rnd, aOff + mr * lda); b = random(rnd, bOff + nr * kc); }
                case DIRECT_A_TRANSPOSED -> { aRs = 1; aPs = lda; bPs = nr; a = random(rnd, aOff + kc * lda); b = random(rnd, bOff + nr * kc); }
                case DIRECT_B -> { aRs = 1; aPs = mr; bPs = ldb; a = random(rnd, aOff + mr * kc); b = random(rnd, bOff + ldb * kc); }
                default -> throw new AssertionError(layout);
            }
            int ldc = nr + 4, cOff = ldc + 1;
            float[] c = random(rnd, cOff + (mr + 1) * ldc);
            float[] before = c.clone();
            mk.tile(kc, a, aOff, aRs, aPs, b, bOff, bPs, overwrite, c, cOff, ldc);
            assertTile(mk, kc, a, aOff, aRs, aPs, b, bOff, bPs, overwrite, before, c, cOff, ldc, mr, nr);
        }
    }

    /**
     * The packed tile ({@link MicroKernel#tilePacked}, constant strides in the 5 x 4 kernel)
     * against float64, and bit for bit against the strided tile on the same panels: the two
     * run the same FMA chains in the same order, so the packed nest and the in-place paths
     * give one product the same bits whichever path a block takes.
     */
    @ParameterizedTest(name = "packed kc={0} overwrite={1} seed={2}")
    @MethodSource("packedCases")
    void packedTileMatchesStridedTile(int kc, boolean overwrite, long seed) {
        for (MicroKernel mk : kernels()) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int mr = mk.mr(), nr = mk.nr();
            int aOff = 3, bOff = 5;
            float[] a = random(rnd, aOff + mr * kc + 2);
            float[] b = random(rnd, bOff + nr * kc + 3);
            int ldc = nr + 2, cOff = ldc + 3;
            float[] c = random(rnd, cOff + (mr + 1) * ldc);
            float[] before = c.clone();
            float[] strided = c.clone();
            mk.tilePacked(kc, a, aOff, b, bOff, overwrite, c, cOff, ldc);
            assertTile(mk, kc, a, aOff, 1, mr, b, bOff, nr, overwrite, before, c, cOff, ldc, mr, nr);
            mk.tile(kc, a, aOff, 1, mr, b, bOff, nr, overwrite, strided, cOff, ldc);
            for (int at = 0; at < c.length; at++) {
                assertEquals(Float.floatToRawIntBits(strided[at]), Float.floatToRawIntBits(c[at]),
                        mk.getClass().getSimpleName() + ": packed and strided tiles differ at " + at);
            }
        }
    }

    static List<Arguments> packedCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 201;
        for (int kc : new int[] {1, 2, 7, 64, 513}) {
            for (boolean overwrite : new boolean[] {true, false}) {
                out.add(Arguments.of(kc, overwrite, seed++));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "narrow kc={0} overwrite={1} transposedA={2} seed={3}")
    @MethodSource("narrowCases")
    void narrowTileMatchesFloat64(int kc, boolean overwrite, boolean transposedA, long seed) {
        for (MicroKernel mk : kernels()) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int mr = mk.narrowMr(), nr = mk.nr(), half = nr / 2;
            int lda = (transposedA ? mr : kc) + 3;
            int aRs = transposedA ? 1 : lda, aPs = transposedA ? lda : 1;
            int aOff = 1, bOff = 2;
            float[] a = random(rnd, aOff + (transposedA ? kc : mr) * lda);
            float[] b = random(rnd, bOff + nr * kc); // a packed panel; only its first half is read
            int ldc = half + 3, cOff = 2;
            float[] c = random(rnd, cOff + (mr + 1) * ldc);
            float[] before = c.clone();
            mk.tileDirectNarrow(kc, a, aOff, aRs, aPs, b, bOff, overwrite, c, cOff, ldc);
            assertTile(mk, kc, a, aOff, aRs, aPs, b, bOff, nr, overwrite, before, c, cOff, ldc, mr, half);
        }
    }

    static List<Arguments> narrowCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 101;
        for (int kc : new int[] {1, 9, 48}) {
            for (boolean overwrite : new boolean[] {true, false}) {
                for (boolean t : new boolean[] {false, true}) {
                    out.add(Arguments.of(kc, overwrite, t, seed++));
                }
            }
        }
        return out;
    }

    /**
     * The wide tile (4 rows x NR + L columns) of the kernels that have one, bit for bit against
     * the strided tile on the same two packed panels (the same FMA chains in the same order),
     * and against float64; A read in place in both layouts.
     */
    @ParameterizedTest(name = "wide kc={0} transposedA={1} seed={2}")
    @MethodSource("wideCases")
    void wideTileMatchesStridedTileAndFloat64(int kc, boolean transposedA, long seed) {
        int tested = 0;
        for (MicroKernel mk : kernels()) {
            if (mk.wideMr() == 0) {
                continue;
            }
            tested++;
            SplittableRandom rnd = new SplittableRandom(seed);
            int mr = mk.mr(), nr = mk.nr(), wmr = mk.wideMr(), wnr = mk.wideNr();
            int lda = (transposedA ? mr : kc) + 3;
            int aRs = transposedA ? 1 : lda, aPs = transposedA ? lda : 1;
            int aOff = 1, bOff = 4, bOff2 = bOff + nr * kc;
            float[] a = random(rnd, aOff + (transposedA ? kc : mr) * lda);
            float[] b = random(rnd, bOff2 + nr * kc + 2); // two packed panels
            float[] t = random(rnd, wmr * wnr);
            mk.tileDirectWide(kc, a, aOff, aRs, aPs, b, bOff, bOff2, t);
            float[] first = new float[mr * nr], second = new float[mr * nr];
            mk.tile(kc, a, aOff, aRs, aPs, b, bOff, nr, true, first, 0, nr);
            mk.tile(kc, a, aOff, aRs, aPs, b, bOff2, nr, true, second, 0, nr);
            String who = mk.getClass().getSimpleName();
            for (int r = 0; r < wmr; r++) {
                for (int j = 0; j < wnr; j++) {
                    float strided = j < nr ? first[r * nr + j] : second[r * nr + j - nr];
                    assertEquals(Float.floatToRawIntBits(strided), Float.floatToRawIntBits(t[r * wnr + j]),
                            who + ": wide and strided tiles differ at (" + r + ", " + j + ")");
                    double s = 0, mag = 0;
                    for (int p = 0; p < kc; p++) {
                        float bv = j < nr ? b[bOff + p * nr + j] : b[bOff2 + p * nr + j - nr];
                        double x = (double) a[aOff + r * aRs + p * aPs] * bv;
                        s += x;
                        mag += Math.abs(x);
                    }
                    assertEquals(s, t[r * wnr + j], 1.2e-7 * (kc + 1) * mag + 1e-7, who + ": C(" + r + ", " + j + ")");
                }
            }
        }
        assertEquals(kernels().stream().filter(k -> k instanceof VectorMicroKernel5x4).count(), tested,
                "the 5 x 4 vector kernel has the wide tile, the others none");
    }

    static List<Arguments> wideCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 301;
        for (int kc : new int[] {1, 5, 64, 300}) {
            for (boolean t : new boolean[] {false, true}) {
                out.add(Arguments.of(kc, t, seed++));
            }
        }
        return out;
    }

    private static void assertTile(MicroKernel mk, int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bPs,
                                   boolean overwrite, float[] before, float[] c, int cOff, int ldc, int rows, int cols) {
        String who = mk.getClass().getSimpleName();
        for (int at = 0; at < c.length; at++) {
            int rel = at - cOff;
            int r = Math.floorDiv(rel, ldc), j = Math.floorMod(rel, ldc);
            if (rel < 0 || r >= rows || j >= cols) {
                assertEquals(before[at], c[at], who + ": element outside the tile changed at " + at);
                continue;
            }
            double s = overwrite ? 0 : before[at];
            double mag = Math.abs(s);
            for (int p = 0; p < kc; p++) {
                double t = (double) a[aOff + r * aRs + p * aPs] * b[bOff + p * bPs + j];
                s += t;
                mag += Math.abs(t);
            }
            assertEquals(s, c[at], 1.2e-7 * (kc + 1) * mag + 1e-7, who + ": C(" + r + ", " + j + ")");
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
