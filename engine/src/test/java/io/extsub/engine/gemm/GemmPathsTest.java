package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dispatch boundaries of {@link GemmEngine} and {@link BlockedGemm} against the float64
 * triple loop: A read in place (n up to 128 columns, every tile), the narrow direct tile
 * (n up to NR / 2: 32 vector / 2 scalar; m around its 10 / 8 rows and the MR = 5 / 4 tile),
 * depth past the direct KC block (2048), the row-first order (k up to 64), the row kernel
 * (k up to 64 with m below MR), B read in place (m up to 4 MR = 20 vector / 16 scalar, n around
 * multiples of NR, k past the direct KC), a last direct panel at most half full (narrow tile),
 * C one panel plus at most one vector wide (the wide tile), each with beta = 0 over NaN (C must
 * not be read), 1 and 0.7.
 */
class GemmPathsTest {

    static Stream<Arguments> cases() {
        int[][] mnk = {{10, 32, 300}, {11, 33, 70}, {9, 31, 2100}, {23, 2, 150}, {5, 3, 65}, {4, 8, 100},
            {21, 64, 2049}, {16, 129, 90}, {300, 16, 40}, {6, 200, 64}, {4, 100, 64}, {5, 70, 16},
            {130, 9, 1}, {8, 1, 3000}, {41, 128, 77}, {20, 192, 2100}, {21, 130, 70}, {17, 64, 5}, {3, 300, 100},
            {16, 257, 2049},
            // a last direct panel at most half full through the narrow tile (74 = 64 + 10: the
            // randomized SVD's k = 64 sketch; 96 = 64 + 32 stores directly; scalar 6 = 4 + 2, 5 = 4 + 1)
            {25, 74, 300}, {39, 96, 2100}, {12, 90, 70}, {13, 6, 50}, {9, 5, 30},
            // the wide tile (4 rows x 80 on AVX-512) for 65..80 columns: rows past the last
            // multiple of 4, too few rows for one, two KC blocks (C accumulated), 81 columns past it
            {27, 80, 2100}, {3, 70, 40}, {8, 65, 17}, {23, 81, 60}};
        float[] betas = {0f, 1f, 0.7f};
        List<Arguments> out = new ArrayList<>();
        long seed = 900;
        for (int[] s : mnk) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    out.add(Arguments.of(s[0], s[1], s[2], ta, tb, betas[(int) (seed % 3)], seed));
                    seed++;
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} {3}{4} beta={5} seed={6}")
    @MethodSource("cases")
    void matchesNaiveAcrossPathBoundaries(int m, int n, int k, Transpose ta, Transpose tb, float beta, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lda = (ta == Transpose.NO ? k : m) + r.nextInt(3);
        int ldb = (tb == Transpose.NO ? n : k) + r.nextInt(3);
        int ldc = n + r.nextInt(3);
        int aRows = ta == Transpose.NO ? m : k, bRows = tb == Transpose.NO ? k : n;
        HeapMatrix a = new HeapMatrix(GemmTest.fill(r, 1 + aRows * lda), 1, lda);
        HeapMatrix b = new HeapMatrix(GemmTest.fill(r, 2 + bRows * ldb), 2, ldb);
        float[] c0 = GemmTest.fill(r, 1 + m * ldc);
        if (beta == 0f) {
            Arrays.fill(c0, Float.NaN);
        }
        float alpha = (float) r.nextDouble(0.5, 2);
        float[] want = c0.clone();
        NaiveGemm.gemm(ta, tb, m, n, k, alpha, a, b, beta, want, 1, ldc);
        for (int i = 0; i < want.length; i++) {
            if (i == 0 || (i - 1) % ldc >= n) {
                want[i] = 0f; // outside C: checked bit for bit against c0 below, then compared as 0
            }
        }
        for (FloatKernels kern : GemmTest.kernelSets()) {
            for (int threads = 1; threads <= 2; threads++) {
                float[] got = c0.clone();
                GemmEngine.of(kern, threads).gemm(ta, tb, m, n, k, alpha, a, b, beta, got, 1, ldc);
                String what = GemmTest.who(kern) + " threads=" + threads;
                // the padding between rows of C (ldc > n) and before cOff must stay untouched
                for (int i = 0; i < c0.length; i++) {
                    int col = (i - 1) % ldc;
                    if (i == 0 || col >= n) {
                        if (Float.floatToRawIntBits(c0[i]) != Float.floatToRawIntBits(got[i])) {
                            org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " outside C changed");
                        }
                        got[i] = 0f;
                    }
                }
                GemmTest.assertClose(want, got, k, alpha, what);
            }
        }
    }
}
