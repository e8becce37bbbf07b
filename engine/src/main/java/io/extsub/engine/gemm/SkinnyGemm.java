package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.MicroKernel;

/**
 * Products with a short inner dimension (k <= {@link #MAX_K}, e.g. the LoRA update
 * B(4096 x 16) A(16 x 4096)). Packing into micro-panels would cost as much
 * as the arithmetic, and C traffic dominates: op(B) is decoded once into a dense k x n
 * block, each row of alpha op(A) into k floats, and the row kernel keeps a strip of C in
 * registers for the whole k loop, so every element of C is read and written once.
 */
final class SkinnyGemm {
    static final int MAX_K = 64;
    private final FloatKernels kernels;
    private final MicroKernel micro;
    private final long l1Bytes;

    SkinnyGemm(FloatKernels kernels, long l1Bytes) {
        this.kernels = kernels;
        this.micro = kernels.microKernel();
        this.l1Bytes = l1Bytes;
    }

    /**
     * Only for fewer rows than the register tile: there the row kernel beats a mostly empty
     * MR x NR tile. Taller short-k products (the LoRA shapes) run faster in the blocked path
     * (register tile, row-first order, no pass over C): 46-75 against 19-21 GFLOPS for
     * 4096x16x4096 on one core.
     */
    static boolean suits(int m, int k, int mr) {
        return k <= MAX_K && m < mr;
    }

    /**
     * Columns per block: the k x NB slab of op(B) stays in half of L1 while all rows pass over
     * it, so the row kernel's B loads (one per FMA) hit L1, which serves two per cycle.
     */
    int blockColumns(int k) {
        int vec = micro.rowWidth();
        return (int) Math.max(vec, l1Bytes / 2 / (4L * Math.max(1, k)) / vec * vec);
    }

    /**
     * Decodes op(B) (k x n, alpha-free) once per call into column blocks of
     * {@link #blockColumns} columns, each block a contiguous k x cols row-major slab at
     * dst[jb * k]. Contiguous slabs matter: rows of the original B are n floats apart, and
     * with n a multiple of 1024 all k rows of a slab would fall into the same few L1 sets.
     */
    void packB(Problem pr, float[] dst, float[] line) {
        Operand b = pr.b();
        int k = pr.k(), n = pr.n(), nb = blockColumns(k);
        for (int jb = 0; jb < n; jb += nb) {
            int cols = Math.min(nb, n - jb), base = jb * k;
            if (b.transposed()) {
                for (int q = 0; q < cols; q++) {
                    b.readRun(jb + q, 0, k, line, 0, kernels);
                    for (int p = 0, at = base + q; p < k; p++, at += cols) {
                        dst[at] = line[p];
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    b.readRun(p, jb, cols, dst, base + p * cols, kernels);
                }
            }
        }
    }

    /** Rows [r0, r1) of C, with op(B) already packed by {@link #packB}. Requires csC == 1. */
    void run(Problem pr, int r0, int r1, float[] bPacked, PackBuffers buf) {
        int k = pr.k(), n = pr.n();
        float[] aRows = buf.a(Math.multiplyExact(r1 - r0, k));
        Packing.packDense(pr.a(), r0, r1 - r0, k, pr.alpha(), aRows, buf.line(Math.max(k, r1 - r0)), kernels);
        int nb = blockColumns(k);
        for (int jb = 0; jb < n; jb += nb) {
            int cols = Math.min(nb, n - jb);
            for (int i = r0; i < r1; i++) {
                micro.row(k, aRows, (i - r0) * k, bPacked, jb * k, cols, pr.beta(), pr.c(), pr.cOff() + i * pr.rsC() + jb, cols);
            }
        }
    }
}
