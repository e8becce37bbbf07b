package io.extsub.engine.simd;

/**
 * The register-blocked GEMM micro-kernels (BLIS terminology: the MR x NR kernel and the
 * skinny row kernel). Provided by a {@link FloatKernels} implementation so the vector one
 * is reached through the single reflective load in {@link Kernels}.
 */
public interface MicroKernel {

    /** Rows of the register tile (and of a packed A micro-panel). */
    int mr();

    /** Columns of the register tile (and of a packed B micro-panel). */
    int nr();

    /**
     * Columns the {@link #row} kernel's main loop covers at once; the skinny path blocks the
     * columns of C in multiples of it.
     */
    int rowWidth();

    /**
     * C[mr x nr] += A * B over kc steps, or C = A * B when {@code overwrite} (C is not read).
     * A element (r, p) is {@code a[aOff + r * aRs + p * aPs]}, B row p (nr floats) starts at
     * {@code b[bOff + p * bPs]}; C is row-major at {@code c[cOff + r * ldc + j]}. A packed A
     * micro-panel has aRs = 1, aPs = mr; a packed B micro-panel bPs = nr. A read in place:
     * row-major aRs = lda, aPs = 1, transposed aRs = 1, aPs = lda (used when a packed A block
     * would serve only one or two B micro-panels, n small, k large); B read in place:
     * bPs = ldb (few rows of A per B panel, e.g. the transposed form of Q^T V,
     * 16 x 4096 x 256). One strided kernel rather than one per layout: each extra
     * copy cost its own C2 compiles (and deopt recompiles) at every process start.
     * Overwriting on the first KC block spares a beta = 0 GEMM a separate zeroing pass over C
     * (as costly as the arithmetic when k is small). Only two store variants: a third (general
     * beta) made the method too big for C2 to inline the vector operations, and the kernel
     * fell to 1.5 GFLOPS.
     */
    void tile(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bPs,
              boolean overwrite, float[] c, int cOff, int ldc);

    /**
     * {@link #tile} on a packed A micro-panel (aRs = 1, aPs = mr()) and a packed B micro-panel
     * (bPs = nr()), for the packed loop nest only. A kernel may override it with the strides as
     * constants, which lets the JIT hoist the range checks out of the k loop; it is a second
     * compiled copy of the tile, so the paths that read an operand in place keep {@link #tile}.
     */
    default void tilePacked(int kc, float[] a, int aOff, float[] b, int bOff, boolean overwrite,
                            float[] c, int cOff, int ldc) {
        tile(kc, a, aOff, 1, mr(), b, bOff, nr(), overwrite, c, cOff, ldc);
    }

    /** Rows of the narrow direct tile; at most 2 * mr(). */
    int narrowMr();

    /**
     * As {@link #tile} with A read in place at strides (aRs, aPs), for a C only nr() / 2 wide:
     * narrowMr() x (nr() / 2), reading the first half of each row of a packed B micro-panel
     * (row stride nr()). For results like
     * W(4096 x 4096) x B(4096 x 32), where the full tile would multiply zero padding half the time.
     */
    void tileDirectNarrow(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff,
                          boolean overwrite, float[] c, int cOff, int ldc);

    /** Rows of the wide direct tile ({@link #tileDirectWide}); 0 when the kernel has none. */
    default int wideMr() {
        return 0;
    }

    /** Columns of the wide direct tile: nr() plus one vector; 0 when the kernel has none. */
    default int wideNr() {
        return 0;
    }

    /**
     * t[r * wideNr() + j] = (A B)(r, j) for r < wideMr(), j < wideNr(), A read in place at
     * strides (aRs, aPs) as in {@link #tile}, B the first two packed micro-panels of a C wider
     * than one: row p is nr() floats at {@code b[bOff + p * nr()]} followed by the first
     * wideNr() - nr() floats at {@code b[bOff2 + p * nr()]}. For results a little wider than one
     * panel, such as the 74 columns of a rank-64 randomized SVD sketch, which the full and the
     * narrow tile cover as 64 + 32 columns. Each element is the same chain of FMAs as in
     * {@link #tile}, so the results are bit-identical to it.
     */
    default void tileDirectWide(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bOff2,
                                float[] t) {
        throw new UnsupportedOperationException("no wide tile in " + getClass().getSimpleName());
    }

    /**
     * One row of a skinny product: c[cOff + j] = sum_p a[aOff + p] * b[bOff + p * ldb + j]
     * (+ beta * c[cOff + j] unless beta is 0, which ignores C), j < n. Used when k is small
     * and packing would cost more than it saves.
     */
    void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n);
}
