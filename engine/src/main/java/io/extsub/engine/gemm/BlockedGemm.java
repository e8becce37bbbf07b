package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.MicroKernel;

/**
 * The BLIS loop nest (Van Zee and van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015, Fig. 2) for one rectangle of C:
 * jc over NC columns, pc over KC depth (pack B), ic over MC rows (pack A), then jr over NR
 * and ir over MR around the micro-kernel. Each thread runs this on its own rectangle with
 * its own buffers.
 *
 * <p>With beta = 0 the micro-kernel overwrites C on the first KC block instead of a separate
 * zeroing pass over C (with k = 16 that pass alone cost as much as the arithmetic); other
 * betas scale the rectangle first. When the rectangle is at most
 * {@link #DIRECT_MAX_COLUMNS} wide and A is a heap array, A is not packed at
 * all: the micro-kernel reads its rows in place (strided {@link MicroKernel#tile}), since a
 * packed A block would be used only once or twice (e.g. W(4096 x 4096) x B(4096 x 32)).
 */
final class BlockedGemm {
    /**
     * Up to this many columns of C, A is read in place. A count of columns, not of NR panels:
     * a packed A block is reused across the column panels of C, so what amortizes packing it is
     * the width of C, whatever NR is. 128 is two panels of the 5 x 64 tile; the 6 x 16 tile
     * (AVX2) gained 20-40% on one core with A read in place up to 128 columns (128 x 4096
     * blocks times 48-128 columns: 20 -> 27-29 GFLOPS at n = 48 and 74; 11008 x 4096 x 64:
     * 20 -> 33), the 4 x 4 scalar tile neither gains nor loses.
     */
    static final int DIRECT_MAX_COLUMNS = 128;
    /** Up to this many rows (times MR) of A share a B panel read in place instead of packed. */
    static final int DIRECT_B_MAX_TILE_ROWS = 4;
    /** Up to this depth (a single KC block) the tiles run row strip by row strip. */
    static final int ROW_FIRST_MAX_K = 64;
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

    /** True when the rectangle of C columns [c0, c1) is computed with A read in place. */
    boolean readsADirectly(Problem pr, int c0, int c1) {
        return pr.a().matrix() instanceof HeapMatrix && c1 - c0 <= DIRECT_MAX_COLUMNS;
    }

    /**
     * True when B is read in place for rows [r0, r1): a row-major heap B and so few rows that a
     * packed B panel would be used by at most {@link #DIRECT_B_MAX_TILE_ROWS} tiles (e.g. the
     * transposed form of Q^T V: 16 x 4096 x 256, B = Q as stored).
     */
    boolean readsBDirectly(Problem pr, int r0, int r1) {
        return pr.b().matrix() instanceof HeapMatrix && !pr.b().transposed()
                && r1 - r0 <= DIRECT_B_MAX_TILE_ROWS * blocking.mr();
    }

    /** C[r0..r1, c0..c1) = alpha op(A) op(B) + beta C on that rectangle (k >= 1). */
    void run(Problem pr, int r0, int r1, int c0, int c1, PackBuffers buf) {
        if (pr.beta() != 0f) {
            pr.scaleC(r0, r1, c0, c1); // no-op for beta = 1
        }
        final int mr = blocking.mr(), nr = blocking.nr();
        final boolean direct = readsADirectly(pr, c0, c1);
        final boolean directB = !direct && readsBDirectly(pr, r0, r1);
        final int mcMax = direct ? mr : Math.min(blocking.mc(), roundUp(r1 - r0, mr));
        final int kcStep = direct || directB ? blocking.kcDirect() : blocking.kc();
        final int kcMax = Math.min(kcStep, pr.k());
        final int ncStep = blocking.ncFor(kcMax);
        final boolean rowFirst = pr.k() <= ROW_FIRST_MAX_K;
        final int ncMax = Math.min(ncStep, roundUp(c1 - c0, nr));
        float[] ap = buf.a(mcMax * kcMax);
        float[] bp = buf.b(ncMax * kcMax);
        float[] tile = buf.tile(Math.max(mr * nr, micro.wideMr() * micro.wideNr()));
        float[] line = buf.line(Math.max(kcMax, Math.max(mr, nr)));

        for (int jc = c0; jc < c1; jc += ncStep) {
            int nc = Math.min(ncStep, c1 - jc);
            for (int pc = 0; pc < pr.k(); pc += kcStep) {
                int kc = Math.min(kcStep, pr.k() - pc);
                boolean overwrite = pc == 0 && pr.beta() == 0f;
                if (directB) {
                    Packing.packA(pr.a(), r0, r1 - r0, pc, kc, pr.alpha(), mr, ap, line, kernels);
                    directBBlock(pr, r0, r1, jc, nc, pc, kc, overwrite, ap, bp, tile, line);
                    continue;
                }
                if (direct) {
                    Packing.packB(pr.b(), pc, kc, jc, nc, nr, pr.alpha(), bp, line, kernels);
                    directBlock(pr, r0, r1, jc, nc, pc, kc, overwrite, ap, bp, tile, line);
                    continue;
                }
                Packing.packB(pr.b(), pc, kc, jc, nc, nr, 1f, bp, line, kernels);
                for (int ic = r0; ic < r1; ic += blocking.mc()) {
                    int mc = Math.min(blocking.mc(), r1 - ic);
                    Packing.packA(pr.a(), ic, mc, pc, kc, pr.alpha(), mr, ap, line, kernels);
                    if (rowFirst) {
                        // Short k: C traffic dominates. A band of MR-row strips at a time, left
                        // to right, so C is written as long sequential row streams (1.4-2.5x
                        // faster than column strips for 4096x16x4096); with a slow L3 the band
                        // holds several strips, so that each B micro-panel serves them all from
                        // L1 (Blocking.bandRows).
                        final int band = blocking.bandRows();
                        for (int ib = 0; ib < mc; ib += band) {
                            int bandEnd = Math.min(mc, ib + band);
                            for (int jr = 0; jr < nc; jr += nr) {
                                int cols = Math.min(nr, nc - jr);
                                for (int ir = ib; ir < bandEnd; ir += mr) {
                                    int rows = Math.min(mr, mc - ir);
                                    packedTile(pr, kc, ap, ir * kc, bp, jr * kc, overwrite, ic + ir, jc + jr, rows, cols, tile);
                                }
                            }
                        }
                        continue;
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            packedTile(pr, kc, ap, ir * kc, bp, jr * kc, overwrite, ic + ir, jc + jr, rows, cols, tile);
                        }
                    }
                }
            }
        }
    }

    /** Rows [r0, r1) against the packed B panel, A read in place (alpha is in the B panel). */
    private void directBlock(Problem pr, int r0, int r1, int jc, int nc, int pc, int kc, boolean overwrite,
                             float[] ap, float[] bp, float[] tile, float[] line) {
        final int mr = blocking.mr(), nr = blocking.nr();
        HeapMatrix h = (HeapMatrix) pr.a().matrix();
        float[] a = h.data();
        // op(A)(i, p) at a[base + i * aRs + p * aPs]
        int aRs = pr.a().transposed() ? 1 : h.rowStride();
        int aPs = pr.a().transposed() ? h.rowStride() : 1;
        long base = h.offset() + (long) pc * aPs;
        float[] c = pr.c();
        int rsC = pr.rsC(), csC = pr.csC();
        int ir = r0;
        final int wmr = micro.wideMr(), wnr = micro.wideNr();
        if (wmr > 0 && nc > nr && nc <= wnr) {
            // C one panel plus at most one vector wide (the 74 columns of a rank-64 sketch): the
            // wide tile, one pass over A for all of it; the last rows go on below.
            for (; ir + wmr <= r1; ir += wmr) {
                int aOff = Math.toIntExact(base + (long) ir * aRs);
                micro.tileDirectWide(kc, a, aOff, aRs, aPs, bp, 0, nr * kc, tile);
                addTile(tile, wnr, overwrite, c, pr.cOff() + ir * rsC + jc * csC, rsC, csC, wmr, nc);
            }
        }
        // A last panel at most half full (e.g. a 32-wide C, or the 10 columns past 64 of a
        // 74-wide sketch on a kernel without the wide tile) goes through the narrow tile, twice
        // as tall and half as wide: a full tile there would spend most of its FMAs on padding.
        final int nmr = micro.narrowMr(), half = nr / 2, tail = nc % nr;
        final int fullEnd = tail != 0 && tail <= half && nmr % mr == 0 ? nc - tail : nc;
        if (fullEnd < nc) {
            for (; ir + nmr <= r1; ir += nmr) {
                for (int sub = 0; sub < nmr; sub += mr) {
                    int aOff = Math.toIntExact(base + (long) (ir + sub) * aRs);
                    for (int jr = 0; jr < fullEnd; jr += nr) {
                        directTile(pr, kc, a, aOff, aRs, aPs, bp, jr * kc, overwrite, ir + sub, jc + jr, nr, tile);
                    }
                }
                int aOff = Math.toIntExact(base + (long) ir * aRs);
                int cAt = pr.cOff() + ir * rsC + (jc + fullEnd) * csC;
                if (csC == 1 && tail == half) {
                    micro.tileDirectNarrow(kc, a, aOff, aRs, aPs, bp, fullEnd * kc, overwrite, c, cAt, rsC);
                } else {
                    micro.tileDirectNarrow(kc, a, aOff, aRs, aPs, bp, fullEnd * kc, true, tile, 0, half);
                    addTile(tile, half, overwrite, c, cAt, rsC, csC, nmr, tail);
                }
            }
        }
        for (; ir < r1; ir += mr) {
            int rows = Math.min(mr, r1 - ir);
            if (rows < mr) {
                // The last few rows: a full-height direct read would run past A, so pack them.
                Packing.packA(pr.a(), ir, rows, pc, kc, 1f, mr, ap, line, kernels);
                for (int jr = 0; jr < nc; jr += nr) {
                    edgeTile(pr, kc, ap, 0, bp, jr * kc, overwrite, ir, jc + jr, rows, Math.min(nr, nc - jr), tile);
                }
                continue;
            }
            int aOff = Math.toIntExact(base + (long) ir * aRs);
            for (int jr = 0; jr < nc; jr += nr) {
                directTile(pr, kc, a, aOff, aRs, aPs, bp, jr * kc, overwrite, ir, jc + jr, Math.min(nr, nc - jr), tile);
            }
        }
    }

    /** One full-height tile with A read in place at C(i, j), cols wide; a partial or strided one via the scratch tile. */
    private void directTile(Problem pr, int kc, float[] a, int aOff, int aRs, int aPs, float[] bp, int bOff,
                            boolean overwrite, int i, int j, int cols, float[] tile) {
        final int nr = blocking.nr();
        int cAt = pr.cOff() + i * pr.rsC() + j * pr.csC();
        if (pr.csC() == 1 && cols == nr) {
            micro.tile(kc, a, aOff, aRs, aPs, bp, bOff, nr, overwrite, pr.c(), cAt, pr.rsC());
        } else {
            micro.tile(kc, a, aOff, aRs, aPs, bp, bOff, nr, true, tile, 0, nr);
            addTile(tile, nr, overwrite, pr.c(), cAt, pr.rsC(), pr.csC(), blocking.mr(), cols);
        }
    }

    /** Rows [r0, r1) of packed A against B read in place (full NR panels) or packed (the last, partial one). */
    private void directBBlock(Problem pr, int r0, int r1, int jc, int nc, int pc, int kc, boolean overwrite,
                              float[] ap, float[] bp, float[] tile, float[] line) {
        final int mr = blocking.mr(), nr = blocking.nr();
        HeapMatrix h = (HeapMatrix) pr.b().matrix();
        float[] b = h.data();
        int ldb = h.rowStride();
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            if (cols < nr) {
                // a full-width read would run past the row (and past the array on the last row)
                Packing.packB(pr.b(), pc, kc, jc + jr, cols, nr, 1f, bp, line, kernels);
                for (int ir = r0; ir < r1; ir += mr) {
                    edgeTile(pr, kc, ap, (ir - r0) * kc, bp, 0, overwrite, ir, jc + jr, Math.min(mr, r1 - ir), cols, tile);
                }
                continue;
            }
            int bOff = Math.toIntExact(h.offset() + (long) pc * ldb + jc + jr);
            for (int ir = r0; ir < r1; ir += mr) {
                int rows = Math.min(mr, r1 - ir);
                int cAt = pr.cOff() + ir * pr.rsC() + (jc + jr) * pr.csC();
                if (pr.csC() == 1 && rows == mr) {
                    micro.tile(kc, ap, (ir - r0) * kc, 1, mr, b, bOff, ldb, overwrite, pr.c(), cAt, pr.rsC());
                } else {
                    micro.tile(kc, ap, (ir - r0) * kc, 1, mr, b, bOff, ldb, true, tile, 0, nr);
                    addTile(tile, nr, overwrite, pr.c(), cAt, pr.rsC(), pr.csC(), rows, cols);
                }
            }
        }
    }

    /** One MR x NR tile of the packed nest; partial or strided tiles go through the scratch tile. */
    private void packedTile(Problem pr, int kc, float[] ap, int aOff, float[] bp, int bOff, boolean overwrite,
                            int i, int j, int rows, int cols, float[] tile) {
        int cAt = pr.cOff() + i * pr.rsC() + j * pr.csC();
        if (pr.csC() == 1 && rows == blocking.mr() && cols == blocking.nr()) {
            micro.tilePacked(kc, ap, aOff, bp, bOff, overwrite, pr.c(), cAt, pr.rsC());
        } else {
            micro.tilePacked(kc, ap, aOff, bp, bOff, true, tile, 0, blocking.nr());
            addTile(tile, blocking.nr(), overwrite, pr.c(), cAt, pr.rsC(), pr.csC(), rows, cols);
        }
    }

    /**
     * As {@link #packedTile}, for the packed edges of the paths that read an operand in place:
     * through the strided {@link MicroKernel#tile} those paths already compile, so a product
     * that never runs the packed nest does not compile the second kernel copy for its edges.
     */
    private void edgeTile(Problem pr, int kc, float[] ap, int aOff, float[] bp, int bOff, boolean overwrite,
                          int i, int j, int rows, int cols, float[] tile) {
        int cAt = pr.cOff() + i * pr.rsC() + j * pr.csC();
        if (pr.csC() == 1 && rows == blocking.mr() && cols == blocking.nr()) {
            micro.tile(kc, ap, aOff, 1, blocking.mr(), bp, bOff, blocking.nr(), overwrite, pr.c(), cAt, pr.rsC());
        } else {
            micro.tile(kc, ap, aOff, 1, blocking.mr(), bp, bOff, blocking.nr(), true, tile, 0, blocking.nr());
            addTile(tile, blocking.nr(), overwrite, pr.c(), cAt, pr.rsC(), pr.csC(), rows, cols);
        }
    }

    /** C = tile (overwrite) or C += tile on the real rows x cols of a scratch tile. */
    private void addTile(float[] tile, int ldt, boolean overwrite, float[] c, int cAt, int rsC, int csC, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int at = cAt + r * rsC;
            for (int j = 0, t = r * ldt; j < cols; j++, t++, at += csC) {
                c[at] = overwrite ? tile[t] : c[at] + tile[t];
            }
        }
    }

    static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }
}
