package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panels the
 * micro-kernel streams through. This is also where storage formats meet the float kernel:
 * F16/BF16/F32 segments are decoded here (with the vector decoders when the inner stride is
 * 1), so a mapped tensor is multiplied without ever being copied whole.
 */
final class Packing {
    private Packing() {}

    /**
     * Packs alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc) as MR-row micro-panels: panel q holds
     * rows q*MR.., stored column by column at dst[q*MR*kc + p*MR + r]. Rows past mc are zero.
     */
    static void packA(Operand op, int i0, int mc, int p0, int kc, float alpha, int mr,
                      float[] dst, float[] line, FloatKernels kernels) {
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int base = ir * kc;
            if (rows < mr) {
                Arrays.fill(dst, base, base + mr * kc, 0f);
            }
            if (op.transposed()) {
                // op(A)(i, p) = stored(p, i): stored rows run along i.
                for (int p = 0; p < kc; p++) {
                    int at = base + p * mr;
                    op.readRun(p0 + p, i0 + ir, rows, line, 0, kernels);
                    for (int r = 0; r < rows; r++) {
                        dst[at + r] = alpha * line[r];
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    op.readRun(i0 + ir + r, p0, kc, line, 0, kernels);
                    for (int p = 0, at = base + r; p < kc; p++, at += mr) {
                        dst[at] = alpha * line[p];
                    }
                }
            }
        }
    }

    /**
     * Packs alpha * op(B)[p0 .. p0+kc, j0 .. j0+nc) as NR-column micro-panels: panel q at
     * dst[q*NR*kc + p*NR + j]. Columns past nc are zero. alpha is 1 unless A is read
     * unpacked (then alpha has nowhere else to go).
     */
    static void packB(Operand op, int p0, int kc, int j0, int nc, int nr, float alpha,
                      float[] dst, float[] line, FloatKernels kernels) {
        if (nc % nr != 0) {
            int last = nc / nr * nr * kc;
            Arrays.fill(dst, last, last + nr * kc, 0f);
        }
        if (op.transposed()) {
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr);
                int base = jr * kc;
                // op(B)(p, j) = stored(j, p): stored rows run along p.
                for (int c = 0; c < cols; c++) {
                    op.readRun(j0 + jr + c, p0, kc, line, 0, kernels);
                    for (int p = 0, at = base + c; p < kc; p++, at += nr) {
                        dst[at] = alpha * line[p];
                    }
                }
            }
            return;
        }
        // Row by row, each stored row read front to back in NR-float pieces, one per panel:
        // sequential, so the prefetcher follows it. Panel by panel read the pieces a stored row
        // apart (16 KiB for a 4096-wide B), a new page at every step: 74x4096x4096 on one
        // AVX-512 core 34 -> 31.5 ms (docs/engine-kernels.md, section 2.2).
        for (int p = 0; p < kc; p++) {
            for (int jr = 0; jr < nc; jr += nr) {
                int cols = Math.min(nr, nc - jr);
                int at = jr * kc + p * nr;
                op.readRun(p0 + p, j0 + jr, cols, dst, at, kernels);
                if (alpha != 1f) {
                    for (int q = 0; q < cols; q++) {
                        dst[at + q] *= alpha;
                    }
                }
            }
        }
    }

    /** Writes alpha * op(X)[r0 .. r0+rows, 0 .. cols) densely (row stride cols) into dst. */
    static void packDense(Operand op, int r0, int rows, int cols, float alpha, float[] dst, float[] line, FloatKernels kernels) {
        if (op.transposed()) {
            for (int q = 0; q < cols; q++) {
                op.readRun(q, r0, rows, line, 0, kernels);
                for (int r = 0, at = q; r < rows; r++, at += cols) {
                    dst[at] = alpha * line[r];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int at = r * cols;
                op.readRun(r0 + r, 0, cols, dst, at, kernels);
                if (alpha != 1f) {
                    for (int q = 0; q < cols; q++) {
                        dst[at + q] *= alpha;
                    }
                }
            }
        }
    }
}
