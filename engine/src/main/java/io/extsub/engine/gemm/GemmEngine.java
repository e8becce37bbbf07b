package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import java.util.Objects;

/**
 * A configured SGEMM: a kernel implementation (vector or scalar) and a thread count.
 * {@link Gemm} uses {@link #shared()}; tests and benchmarks build others to pin the path or
 * the number of threads. Instances are thread-safe; each thread packs into its own buffers.
 */
public final class GemmEngine {
    /** Below this many multiply-adds a second thread costs more than it saves. */
    private static final long PARALLEL_MIN_FLOPS = 1L << 20;
    private static final Blocking.Caches CACHES = Blocking.Caches.detect();
    private static final GemmEngine SHARED = new GemmEngine(Kernels.get(), GemmPool.shared().parallelism());

    private final FloatKernels kernels;
    private final int threads;
    private final BlockedGemm blocked;
    private final SkinnyGemm skinny;
    private final ThreadLocal<PackBuffers> buffers = ThreadLocal.withInitial(PackBuffers::new);

    private GemmEngine(FloatKernels kernels, int threads) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = Math.min(threads, GemmPool.shared().parallelism());
        var micro = kernels.microKernel();
        this.blocked = new BlockedGemm(kernels, Blocking.derive(micro.mr(), micro.nr(), CACHES));
        this.skinny = new SkinnyGemm(kernels, CACHES.l1d());
    }

    /** The default engine: the selected kernels ({@link Kernels#get()}) and all cores. */
    public static GemmEngine shared() {
        return SHARED;
    }

    /** An engine on the given kernels using at most {@code threads} threads (capped at the core count). */
    public static GemmEngine of(FloatKernels kernels, int threads) {
        return new GemmEngine(kernels, threads);
    }

    public int threads() {
        return threads;
    }

    public String kernelName() {
        return kernels.name();
    }

    /** Blocksizes in use, for logs and benchmark reports: "MRxNR MC=.. KC=.. NC=..". */
    public String describe() {
        Blocking b = blocked.blocking();
        return kernels.name() + " " + b.mr() + "x" + b.nr() + " MC=" + b.mc() + " KC=" + b.kc() + " NC=" + b.nc()
                + " KC(direct A)=" + b.kcDirect()
                + " threads=" + threads;
    }

    /** See {@link Gemm#gemm}. */
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                     MatrixOperand a, MatrixOperand b, float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        Objects.requireNonNull(c, "c");
        if (m == 0 || n == 0) {
            return;
        }
        if (ldc < n || cOff < 0 || (long) cOff + (long) (m - 1) * ldc + n > c.length) {
            throw new IllegalArgumentException("C too small or ldc < n: m=" + m + " n=" + n + " ldc=" + ldc
                    + " cOff=" + cOff + " length=" + c.length);
        }
        Problem pr = new Problem(Operand.of(a, ta), Operand.of(b, tb), m, n, k, alpha, beta, c, cOff, ldc, 1);
        if (k == 0 || alpha == 0f) {
            pr.scaleC(0, m, 0, n); // BLAS: A and B are not read when alpha = 0
            return;
        }
        if (SkinnyGemm.suits(m, k, blocked.blocking().mr())) {
            runSkinny(pr);
        } else {
            runBlocked(preferTransposed(pr) ? pr.transposed() : pr);
        }
    }

    /**
     * A thin result (n well below NR, e.g. W(4096 x 4096) x B(4096 x 32)) wastes most of
     * each NR-wide tile; computed as C^T = op(B)^T op(A)^T the tiles run along m instead.
     */
    private boolean preferTransposed(Problem pr) {
        Blocking b = blocked.blocking();
        double useN = pr.n() / (double) BlockedGemm.roundUp(pr.n(), b.nr());
        double useNT = pr.n() / (double) BlockedGemm.roundUp(pr.n(), b.mr());
        // Not when A is a row-major heap array: flipped, it would become a transposed B whose
        // packing is a strided gather (as costly as the arithmetic for W x B(4096 x 32)); read
        // in place by the narrow direct tile it needs no packing at all.
        boolean gatherAfterFlip = pr.a().matrix() instanceof HeapMatrix && !pr.a().transposed();
        return pr.m() >= b.nr() && useNT > useN + 0.15 && !gatherAfterFlip;
    }

    private int parts(Problem pr) {
        long flops = (long) pr.m() * pr.n() * pr.k();
        if (flops < PARALLEL_MIN_FLOPS || !GemmPool.shared().canRead(pr.a().matrix()) || !GemmPool.shared().canRead(pr.b().matrix())) {
            return 1; // small, or a segment of a confined arena that only the caller may read
        }
        return threads;
    }

    private void runBlocked(Problem pr) {
        int parts = parts(pr);
        Blocking b = blocked.blocking();
        if (parts == 1) {
            blocked.run(pr, 0, pr.m(), 0, pr.n(), buffers.get());
            return;
        }
        // Split the larger side, at tile multiples, into one rectangle per thread.
        boolean byRows = pr.m() >= pr.n();
        int extent = byRows ? pr.m() : pr.n();
        int unit = byRows ? b.mr() : b.nr();
        int units = Math.ceilDiv(extent, unit);
        int p = Math.min(parts, units);
        GemmPool.shared().run(p, part -> {
            int from = Math.min(extent, (int) ((long) units * part / p) * unit);
            int to = Math.min(extent, (int) ((long) units * (part + 1) / p) * unit);
            if (from >= to) return;
            if (byRows) {
                blocked.run(pr, from, to, 0, pr.n(), buffers.get());
            } else {
                blocked.run(pr, 0, pr.m(), from, to, buffers.get());
            }
        });
    }

    private void runSkinny(Problem pr) {
        PackBuffers own = buffers.get();
        float[] bDense = own.b(Math.multiplyExact(pr.k(), pr.n()));
        skinny.packB(pr, bDense, own.line(Math.max(pr.k(), pr.n())));
        int parts = Math.min(parts(pr), pr.m());
        if (parts <= 1) {
            skinny.run(pr, 0, pr.m(), bDense, own);
            return;
        }
        int m = pr.m();
        GemmPool.shared().run(parts, part -> {
            int from = (int) ((long) m * part / parts);
            int to = (int) ((long) m * (part + 1) / parts);
            // skinny.run uses only the a and line buffers, so the caller's b (bDense) stays intact
            PackBuffers mine = buffers.get();
            skinny.run(pr, from, to, bDense, mine);
        });
    }
}
