package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import io.extsub.engine.simd.MicroKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the GEMM code JIT-compiled before the first real product needs it.
 *
 * <p>Why: a short run (extract of two 4096-wide modules, ~1.6 s of steady-state work) spent
 * ~2 s more on warm-up. The first real products have KC = 2048-deep tiles, so HotSpot first
 * compiles the micro-kernel on-stack (OSR), then again as a normal method, then again after
 * each branch its profile had not seen yet (overwrite = false, edge tiles, transposed
 * packing) deoptimizes it; until C2 code exists, the Vector API runs boxed in C1 code, ~100x
 * slower. Small products covering every path of {@link BlockedGemm} and {@link SkinnyGemm}
 * (packed, A or B read in place, narrow tile, edge tiles, both transposes, both store
 * variants) run here on a daemon thread, while the caller maps and decodes its first
 * operand: the kernels are then compiled once, as normal methods, with complete profiles.
 *
 * <p>Only for runs whose products are large (extract); the exact Ext-Sub path does no GEMM
 * and must not pay for this thread, and the rank reduction of {@code --rank} multiplies only
 * thin r1 + r2 column blocks, whose kernels compile soon enough on their own (7B-shaped pair,
 * {@code --rank 16}: 1.93 s median without the warm-up, 2.12 s with it, 5 alternating pairs).
 * Results are discarded; a failure here only loses the head start.
 */
public final class GemmWarmUp {
    private static final System.Logger LOG = System.getLogger(GemmWarmUp.class.getName());
    /**
     * Rounds over the shape set: each makes ~100 micro-kernel calls; C2 compiles a method
     * after some thousands (more while its queue is long). While the extractor's first product
     * ran alongside the warm-up, 150 of 0, 40, 150 and 400 rounds used the least CPU; since it
     * waits for the warm-up ({@link #awaitCompletion}), fewer rounds pay: 40 against 150, 6
     * alternating pairs, whole extract 4.76 against 4.96 s median, and 0 rounds 5.0-5.5 s
     * (docs/benchmarks.md, "Extract: the first delta").
     */
    static final int ROUNDS = 40;
    /**
     * Direct calls of the wide tile per round. The shapes reach it only a few times a round
     * (one call per wideMr rows), far below the invocation count at which HotSpot compiles a
     * method whole, so the randomized SVD's first A X (KC up to 2048, one call per 4 rows of A)
     * found it still C1 code and had C2 compile it on-stack (94-122 ms), then again whole. With
     * 100 short calls a round it is compiled once, during the warm-up: whole extract, 12
     * alternating rounds, median 1.97 -> 1.78 s, CPU 3.59 -> 3.23 s (docs/benchmarks.md,
     * "Extract: C2 work that does not pay").
     */
    static final int WIDE_TILE_CALLS = 100;
    /** The depth of the warm-up's products (see {@link #shapes}). */
    private static final int SHORT_K = 12;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private GemmWarmUp() {}

    /** Starts the warm-up once per process on a daemon thread; later calls do nothing. */
    public static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("extsub-gemm-warmup").start(() -> {
            long t0 = System.nanoTime();
            try {
                run(Kernels.get(), ROUNDS);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "GEMM warm-up stopped early", e);
                return;
            } finally {
                DONE.countDown();
            }
            LOG.log(System.Logger.Level.DEBUG, "GEMM warm-up done in {0} ms", (System.nanoTime() - t0) / 1_000_000);
        });
    }

    /**
     * Waits until the warm-up has finished, at most {@code maxMillis}; returns at once if it
     * was never started or is done. For a caller whose next step is its first large product:
     * until C2 has compiled the kernels that product runs boxed Vector API code in C1 code at a
     * few percent of full speed, and its long loops trigger extra on-stack compiles of the
     * packing methods, so starting it early only takes a core away from the compiler
     * (extract, 10 alternating pairs: median 5.96 -> 5.47 s, docs/benchmarks.md, "Extract: the
     * first delta").
     */
    public static void awaitCompletion(long maxMillis) {
        if (!STARTED.get()) {
            return;
        }
        try {
            DONE.await(maxMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a started warm-up has finished (or stopped early). */
    static boolean finished() {
        return DONE.getCount() == 0;
    }

    /** One product of the warm-up set: op(A) m x k, op(B) k x n. */
    record Shape(Transpose ta, Transpose tb, int m, int n, int k) {}

    /**
     * Products reaching every path of the GEMM for this micro-kernel's tile, each with k in a
     * single KC block (the store variants come from beta: 0 overwrites, 1 accumulates;
     * {@link #run} alternates them).
     */
    static List<Shape> shapes(MicroKernel mk) {
        // A short depth: fewer loop iterations per kernel call, so HotSpot compiles the kernels
        // as normal methods before on-stack (k = 48 made C2 compile the tile on-stack first, 115
        // ms), and less time per round in C1 code. Whole extract, 6 alternating pairs: median
        // 4.45 s with k = 48, 4.26 with 12 (docs/benchmarks.md, "Extract: the first delta").
        int mr = mk.mr(), nr = mk.nr(), k = SHORT_K;
        List<Shape> out = new ArrayList<>();
        for (Transpose ta : Transpose.values()) {
            // A read in place: one full and one partial NR panel, plus edge rows (packed); the
            // partial panel at most half full (narrow tile) and more than half full (a full-width
            // tile through the scratch tile). Without the second, a 74-column sketch on the
            // 6 x 16 tile (AVX2) took the branch the profile had never seen: a deoptimization and
            // a second 215 ms C2 compile of directBlock in the middle of extract.
            out.add(new Shape(ta, Transpose.NO, 4 * mr + 2, nr + nr / 8 + 2, k));
            out.add(new Shape(ta, Transpose.NO, 4 * mr + 2, nr + nr / 2 + 1, k));
            // and C a whole number of panels (the randomized SVD's U = Q U_r at rank 64): without
            // it directBlock's first such product deoptimized it, an 83 ms C2 compile again
            out.add(new Shape(ta, Transpose.NO, 4 * mr + 2, nr, k));
            if (mk.wideMr() > 0) {
                // the shape above is the wide tile's (74 columns on AVX-512); a tail just past it
                // still takes the narrow one
                out.add(new Shape(ta, Transpose.NO, 4 * mr + 2, mk.wideNr() + nr / 8 + 2, k));
            }
            // the narrow tile (C half an NR panel wide)
            out.add(new Shape(ta, Transpose.NO, 2 * mk.narrowMr() + 3, nr / 2, k));
            // packed A and B (C wider than A is read in place), partial tiles at both edges, B
            // packed from either layout
            for (Transpose tb : Transpose.values()) {
                out.add(new Shape(ta, tb, 5 * mr + 3, BlockedGemm.DIRECT_MAX_COLUMNS + 9, k));
            }
            // packed B a whole number of panels wide, as in every 4096-wide product (its
            // partial-panel branch had only ever been taken: a deoptimization of packB in
            // extract's first transposed product)
            out.add(new Shape(ta, Transpose.NO, 5 * mr + 3, wholePanels(BlockedGemm.DIRECT_MAX_COLUMNS + 1, nr), k));
        }
        // packed, deep enough for the column-first tile order (the real products' order; the
        // short shapes above all take the row-first one)
        out.add(new Shape(Transpose.NO, Transpose.NO, 5 * mr + 3, BlockedGemm.DIRECT_MAX_COLUMNS + 9,
                BlockedGemm.ROW_FIRST_MAX_K + 8));
        // B read in place (few rows of A, wide row-major B), its last panel packed
        out.add(new Shape(Transpose.NO, Transpose.NO, 2 * mr + 1, BlockedGemm.DIRECT_MAX_COLUMNS + nr + 5, k));
        // the skinny row kernel (fewer rows than the tile, short k)
        out.add(new Shape(Transpose.NO, Transpose.NO, mr - 1, 2 * nr + 3, 16));
        return out;
    }

    /** The smallest multiple of nr that is at least n. */
    private static int wholePanels(int n, int nr) {
        return Math.ceilDiv(n, nr) * nr;
    }

    /** Runs the shape set {@code rounds} times on one thread of {@code kernels}. */
    static void run(FloatKernels kernels, int rounds) {
        GemmEngine engine = GemmEngine.of(kernels, 1);
        List<Shape> shapes = shapes(kernels.microKernel());
        int size = 0;
        for (Shape s : shapes) {
            size = Math.max(size, Math.max(s.m() * s.k(), Math.max(s.k() * s.n(), s.m() * s.n())));
        }
        float[] a = fill(new float[size]);
        float[] b = fill(new float[size]);
        float[] c = new float[size];
        WideTileCall wide = kernels.microKernel().wideMr() > 0 ? WideTileCall.of(kernels.microKernel(), SHORT_K) : null;
        for (int round = 0; round < rounds; round++) {
            float beta = round % 2 == 0 ? 0f : 1f;
            for (Shape s : shapes) {
                int lda = s.ta() == Transpose.NO ? s.k() : s.m();
                int ldb = s.tb() == Transpose.NO ? s.n() : s.k();
                engine.gemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, HeapMatrix.of(a, lda), HeapMatrix.of(b, ldb),
                        beta, c, 0, s.n());
            }
            for (int i = 0; wide != null && i < WIDE_TILE_CALLS; i++) {
                wide.run();
            }
        }
    }

    /**
     * One wide-tile product as {@link BlockedGemm} makes it: A (wideMr x k, row-major) read in
     * place, B two packed NR micro-panels, the result in t (wideMr x wideNr).
     */
    record WideTileCall(MicroKernel mk, int k, float[] a, float[] b, float[] t) {
        static WideTileCall of(MicroKernel mk, int k) {
            return new WideTileCall(mk, k, fill(new float[mk.wideMr() * k]), fill(new float[2 * mk.nr() * k]),
                    new float[mk.wideMr() * mk.wideNr()]);
        }

        void run() {
            mk.tileDirectWide(k, a, 0, k, 1, b, 0, mk.nr() * k, t);
        }
    }

    private static float[] fill(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7 - 3) * 0.125f;
        }
        return x;
    }
}
