package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.MicroKernel;

/**
 * The BLIS loop nest (Van Zee and van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015, Fig. 2) for one rectangle of C:
 * jc over NC columns, pc over KC depth (pack B), ic over MC rows (pack A), then jr over NR
 * and ir over MR around the micro-kernel. Each thread runs this on its own rectangle with
 * its own buffers.
 */
final class BlockedGemm {
    private final FloatKernels kernels;
    private final MicroKernel micro;
    private final Blocking blocking;

    BlockedGemm(FloatKernels kernels, Blocking blocking) {
        this.kernels = kernels;
        this.micro = kernels.microKernel();
        this.blocking = blocking;
    }

    Blocking blocking() {
        return blocking;
    }

    /** C[r0..r1, c0..c1) = alpha op(A) op(B) + beta C on that rectangle. */
    void run(Problem pr, int r0, int r1, int c0, int c1, PackBuffers buf) {
        pr.scaleC(r0, r1, c0, c1);
        final int mr = blocking.mr(), nr = blocking.nr();
        final int mcMax = Math.min(blocking.mc(), roundUp(r1 - r0, mr));
        final int kcMax = Math.min(blocking.kc(), pr.k());
        final int ncMax = Math.min(blocking.nc(), roundUp(c1 - c0, nr));
        float[] ap = buf.a(mcMax * kcMax);
        float[] bp = buf.b(ncMax * kcMax);
        float[] tile = buf.tile(mr * nr);
        float[] line = buf.line(Math.max(kcMax, Math.max(mr, nr)));
        final boolean rowMajorC = pr.csC() == 1;
        final float[] c = pr.c();
        final int rsC = pr.rsC(), csC = pr.csC();

        for (int jc = c0; jc < c1; jc += blocking.nc()) {
            int nc = Math.min(blocking.nc(), c1 - jc);
            for (int pc = 0; pc < pr.k(); pc += blocking.kc()) {
                int kc = Math.min(blocking.kc(), pr.k() - pc);
                Packing.packB(pr.b(), pc, kc, jc, nc, nr, bp, line, kernels);
                for (int ic = r0; ic < r1; ic += blocking.mc()) {
                    int mc = Math.min(blocking.mc(), r1 - ic);
                    Packing.packA(pr.a(), ic, mc, pc, kc, pr.alpha(), mr, ap, line, kernels);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cAt = pr.cOff() + (ic + ir) * rsC + (jc + jr) * csC;
                            if (rowMajorC && rows == mr && cols == nr) {
                                micro.tile(kc, ap, ir * kc, bp, jr * kc, c, cAt, rsC);
                            } else {
                                edgeTile(kc, ap, ir * kc, bp, jr * kc, tile, c, cAt, rsC, csC, rows, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Partial or strided tiles: run the full kernel into a zeroed scratch tile, add what is real. */
    private void edgeTile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile,
                          float[] c, int cAt, int rsC, int csC, int rows, int cols) {
        int mr = blocking.mr(), nr = blocking.nr();
        java.util.Arrays.fill(tile, 0, mr * nr, 0f);
        micro.tile(kc, ap, aOff, bp, bOff, tile, 0, nr);
        for (int r = 0; r < rows; r++) {
            int at = cAt + r * rsC;
            for (int j = 0; j < cols; j++, at += csC) {
                c[at] += tile[r * nr + j];
            }
        }
    }

    static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }
}
