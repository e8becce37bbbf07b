package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loop nest of {@link BlockedGemm} under the blocksizes of every host {@link BlockingTest}
 * pins, not only the one the tests happen to run on: one-strip and four-strip row-first bands,
 * KC 256 and 512, the widened panel of shallow products, and a made-up tiny cache whose
 * blocks are small enough that a test-sized product crosses every NC, KC and MC boundary.
 * Each is compared with the float64 triple loop.
 */
class BlockingVariantsTest {

    private static final Blocking.Caches[] HOSTS = {
        new Blocking.Caches(32 << 10, 1 << 20, 32 << 20, true),     // Zen 4
        new Blocking.Caches(48 << 10, 2 << 20, 105 << 20, false),   // Intel AVX-512
        new Blocking.Caches(32 << 10, 512 << 10, 8 << 20, true),    // AVX2
        new Blocking.Caches(4 << 10, 64 << 10, 256 << 10, false),   // tiny: KC 128, MC 60, NC 128
    };

    static Stream<Arguments> cases() {
        // row-first (k <= 64) over several bands and panels; deep products over KC blocks
        int[][] mnk = {{47, 300, 16}, {61, 1100, 64}, {23, 130, 33}, {130, 200, 600}, {77, 70, 1030}, {12, 260, 129}};
        List<Arguments> out = new ArrayList<>();
        long seed = 4100;
        for (int h = 0; h < HOSTS.length; h++) {
            for (int[] s : mnk) {
                out.add(Arguments.of(h, s[0], s[1], s[2], seed % 2 == 0 ? Transpose.NO : Transpose.YES, seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "host={0} m={1} n={2} k={3} A{4} seed={5}")
    @MethodSource("cases")
    void matchesNaiveUnderEveryHostsBlocking(int host, int m, int n, int k, Transpose ta, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lda = ta == Transpose.NO ? k : m;
        // a segment-free heap A taller than the direct rule allows, so the packed nest runs
        HeapMatrix a = HeapMatrix.of(GemmTest.fill(r, m * k), lda);
        HeapMatrix b = HeapMatrix.of(GemmTest.fill(r, k * n), n);
        float[] want = GemmTest.fill(r, m * n);
        float[] c0 = want.clone();
        NaiveGemm.gemm(ta, Transpose.NO, m, n, k, 1.5f, a, b, 0.5f, want, 0, n);
        for (FloatKernels kern : GemmTest.kernelSets()) {
            var micro = kern.microKernel();
            BlockedGemm blocked = new BlockedGemm(kern, Blocking.derive(micro.mr(), micro.nr(), HOSTS[host]));
            float[] got = c0.clone();
            Problem pr = new Problem(Operand.of(a, ta), Operand.of(b, Transpose.NO), m, n, k, 1.5f, 0.5f, got, 0, n, 1);
            blocked.run(pr, 0, m, 0, n, new PackBuffers());
            GemmTest.assertClose(want, got, k, 1.5f, GemmTest.who(kern) + " " + blocked.blocking());
        }
    }
}
