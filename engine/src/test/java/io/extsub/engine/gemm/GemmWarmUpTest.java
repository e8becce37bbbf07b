package io.extsub.engine.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.MicroKernel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's shape set: it must reach every GEMM path (otherwise the kernel it misses is
 * still compiled late, and a branch it misses still deoptimizes the compiled code), and each
 * of its products must be a valid, correct GEMM for both kernel sets.
 */
class GemmWarmUpTest {

    @Test
    void shapesReachEveryPath() {
        for (FloatKernels kern : GemmTest.kernelSets()) {
            MicroKernel mk = kern.microKernel();
            BlockedGemm blocked = new BlockedGemm(kern, Blocking.derive(mk.mr(), mk.nr(), Blocking.Caches.DEFAULT));
            List<GemmWarmUp.Shape> shapes = GemmWarmUp.shapes(mk);
            int nr = mk.nr();
            String who = GemmTest.who(kern) + ": ";
            assertCovered(who + "skinny", shapes, s -> SkinnyGemm.suits(s.m(), s.k(), mk.mr()));
            List<GemmWarmUp.Shape> blockedShapes = shapes.stream().filter(s -> !SkinnyGemm.suits(s.m(), s.k(), mk.mr())).toList();
            for (Transpose t : Transpose.values()) {
                assertCovered(who + "A in place, last panel narrow, " + t, blockedShapes,
                        s -> s.ta() == t && blocked.readsADirectly(problem(s), 0, s.n()) && s.n() > nr
                                && s.n() > mk.wideNr() && s.n() % nr != 0 && s.n() % nr <= nr / 2);
                if (mk.wideMr() > 0) {
                    assertCovered(who + "A in place, wide tile, " + t, blockedShapes,
                            s -> s.ta() == t && blocked.readsADirectly(problem(s), 0, s.n()) && s.n() > nr
                                    && s.n() <= mk.wideNr() && s.m() % mk.wideMr() != 0);
                }
                assertCovered(who + "A in place, last panel more than half full, " + t, blockedShapes,
                        s -> s.ta() == t && blocked.readsADirectly(problem(s), 0, s.n()) && s.n() > nr
                                && s.n() % nr > nr / 2);
                assertCovered(who + "A in place, C whole panels, " + t, blockedShapes,
                        s -> s.ta() == t && blocked.readsADirectly(problem(s), 0, s.n()) && s.n() % nr == 0);
                assertCovered(who + "packed, B whole panels, " + t, blockedShapes,
                        s -> s.ta() == t && !blocked.readsADirectly(problem(s), 0, s.n())
                                && !blocked.readsBDirectly(problem(s), 0, s.m()) && s.n() % nr == 0);
                assertCovered(who + "narrow tile, " + t, blockedShapes,
                        s -> s.ta() == t && blocked.readsADirectly(problem(s), 0, s.n()) && s.n() <= nr / 2
                                && s.m() >= 2 * mk.narrowMr());
            }
            for (boolean rowFirst : new boolean[] {true, false}) {
                assertCovered(who + "packed, " + (rowFirst ? "row" : "column") + "-first tile order", blockedShapes,
                        s -> !blocked.readsADirectly(problem(s), 0, s.n()) && !blocked.readsBDirectly(problem(s), 0, s.m())
                                && (s.k() <= BlockedGemm.ROW_FIRST_MAX_K) == rowFirst);
            }
            assertCovered(who + "B in place", blockedShapes,
                    s -> !blocked.readsADirectly(problem(s), 0, s.n()) && blocked.readsBDirectly(problem(s), 0, s.m()));
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    assertCovered(who + "packed " + ta + tb, blockedShapes,
                            s -> s.ta() == ta && s.tb() == tb && !blocked.readsADirectly(problem(s), 0, s.n())
                                    && !blocked.readsBDirectly(problem(s), 0, s.m()) && s.m() % mk.mr() != 0
                                    && s.n() % nr != 0);
                }
            }
        }
    }

    @Test
    void awaitCompletionReturnsOnceTheWarmUpHasFinished() {
        GemmWarmUp.startInBackground();
        long t0 = System.nanoTime();
        GemmWarmUp.awaitCompletion(120_000);
        assertTrue(GemmWarmUp.finished(), "awaitCompletion returned before the warm-up finished");
        assertTrue(System.nanoTime() - t0 < 100_000_000_000L, "awaitCompletion ran into its time limit");
        long t1 = System.nanoTime();
        GemmWarmUp.awaitCompletion(120_000);
        assertTrue(System.nanoTime() - t1 < 1_000_000_000L, "a finished warm-up still made the caller wait");
    }

    @Test
    void everyShapeMatchesNaive() {
        SplittableRandom r = new SplittableRandom(77);
        for (FloatKernels kern : GemmTest.kernelSets()) {
            for (GemmWarmUp.Shape s : GemmWarmUp.shapes(kern.microKernel())) {
                int lda = s.ta() == Transpose.NO ? s.k() : s.m();
                int ldb = s.tb() == Transpose.NO ? s.n() : s.k();
                HeapMatrix a = HeapMatrix.of(GemmTest.fill(r, s.m() * s.k()), lda);
                HeapMatrix b = HeapMatrix.of(GemmTest.fill(r, s.k() * s.n()), ldb);
                float[] c0 = GemmTest.fill(r, s.m() * s.n());
                for (float beta : new float[] {0f, 1f}) {
                    float[] want = c0.clone();
                    NaiveGemm.gemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, a, b, beta, want, 0, s.n());
                    float[] got = c0.clone();
                    GemmEngine.of(kern, 1).gemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, a, b, beta, got, 0, s.n());
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])), GemmTest.who(kern) + " " + s + " beta=" + beta + " at " + i);
                    }
                }
            }
        }
    }

    /** The direct wide-tile calls must be in bounds and compute what BlockedGemm's calls do. */
    @Test
    void wideTileCallIsTheProductOfItsOperands() {
        int checked = 0;
        for (FloatKernels kern : GemmTest.kernelSets()) {
            MicroKernel mk = kern.microKernel();
            if (mk.wideMr() == 0) {
                continue;
            }
            int k = 12, nr = mk.nr(), wnr = mk.wideNr();
            GemmWarmUp.WideTileCall call = GemmWarmUp.WideTileCall.of(mk, k);
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < call.a().length; i++) {
                call.a()[i] = (float) r.nextDouble(-1, 1);
            }
            for (int i = 0; i < call.b().length; i++) {
                call.b()[i] = (float) r.nextDouble(-1, 1);
            }
            call.run();
            for (int row = 0; row < mk.wideMr(); row++) {
                for (int j = 0; j < wnr; j++) {
                    double want = 0;
                    for (int p = 0; p < k; p++) {
                        // column j of B: the first panel, then the second (rows of nr floats each)
                        float bpj = j < nr ? call.b()[p * nr + j] : call.b()[nr * k + p * nr + (j - nr)];
                        want += (double) call.a()[row * k + p] * bpj;
                    }
                    assertEquals(want, call.t()[row * wnr + j], 1e-5, GemmTest.who(kern) + " t(" + row + ", " + j + ")");
                }
            }
            checked++;
        }
        assumeTrue(checked > 0, "no kernel set with a wide tile on this machine");
    }

    @Test
    void runsEveryShapeWithoutError() {
        for (FloatKernels kern : GemmTest.kernelSets()) {
            GemmWarmUp.run(kern, 2);
        }
    }

    private static Problem problem(GemmWarmUp.Shape s) {
        int lda = s.ta() == Transpose.NO ? s.k() : s.m();
        int ldb = s.tb() == Transpose.NO ? s.n() : s.k();
        float[] none = new float[Math.max(s.m() * s.k(), Math.max(s.k() * s.n(), s.m() * s.n()))];
        return new Problem(Operand.of(HeapMatrix.of(none, lda), s.ta()), Operand.of(HeapMatrix.of(none, ldb), s.tb()),
                s.m(), s.n(), s.k(), 1f, 0f, none, 0, s.n(), 1);
    }

    private static void assertCovered(String path, List<GemmWarmUp.Shape> shapes, Predicate<GemmWarmUp.Shape> reaches) {
        assertTrue(shapes.stream().anyMatch(reaches), "no warm-up shape reaches the path: " + path);
    }
}
