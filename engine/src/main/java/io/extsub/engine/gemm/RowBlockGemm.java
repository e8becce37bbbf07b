package io.extsub.engine.gemm;

import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;

/**
 * Y = alpha (A - base) X + beta Y for a stored A (typically a mapped tensor, any element
 * type) and a thin row-major heap X, computed block of rows by block of rows: each thread
 * decodes its rows of A in long sequential runs into a small heap block and multiplies it
 * with a one-thread engine, whose "direct" paths read heap A in place. Packing a mapped A
 * instead decodes it in runs of MC/KC floats and writes every element twice; for the thin
 * sketches of the randomized SVD (X of 26 columns) that made A X 2-4x slower than the same
 * product on a heap array. With a base the block holds the difference, so A - base costs one
 * product, not two. The blocks stay cache-sized, so A is never copied whole.
 */
public final class RowBlockGemm {
    /** Floats per decoded block and thread (2 MiB): amortizes the per-block packing of X, stays in L2/L3. */
    static final int BLOCK_FLOATS = 1 << 19;
    private static final GemmEngine SINGLE = GemmEngine.of(Kernels.get(), 1);
    /** Rows of the register tile: the blocks of A X are whole row panels of it. */
    private static final int MR = Kernels.get().microKernel().mr();
    /**
     * The norm's row sums: plain loops, not the vector kernel. This norm is the first pass over
     * a matrix, often in the first second of a process, when C2 is still busy (GEMM warm-up) and
     * Vector API code runs boxed in C1 code (extract: ~0.4 s of CPU, ~25 ns per element, for the
     * norm of the first 4096 x 4096 delta); once compiled, the plain loop is memory-bound too.
     */
    private static final FloatKernels PLAIN = Kernels.scalar();

    private RowBlockGemm() {}

    /**
     * y[yOff + i * ldy + j] = alpha sum_p (a(i, p) - base(i, p)) x[xOff + p * ldx + j]
     * + beta y[..], i < m, j < n, p < k; base may be null (then it is A X). beta = 0 ignores y.
     */
    public static void multiply(MatrixOperand a, MatrixOperand base, int m, int n, int k, float alpha,
                                float[] x, int xOff, int ldx, float beta, float[] y, int yOff, int ldy) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0 || k == 0 || alpha == 0f) {
            // nothing to decode; GEMM applies beta to y
            Gemm.gemm(Transpose.NO, Transpose.NO, m, n, k, alpha, a, new HeapMatrix(x, xOff, ldx), beta, y, yOff, ldy);
            return;
        }
        if (ldy < n || yOff < 0 || (long) yOff + (long) (m - 1) * ldy + n > y.length) {
            throw new IllegalArgumentException("Y too small or ldy < n: m=" + m + " n=" + n + " ldy=" + ldy);
        }
        GemmPool pool = GemmPool.shared();
        boolean shared = pool.canRead(a) && (base == null || pool.canRead(base));
        long flops = (long) m * n * k;
        int step = blockRows(m, k);
        int blocks = Math.ceilDiv(m, step);
        int parts = shared && flops >= (1L << 20) ? Math.min(pool.parallelism(), blocks) : 1;
        if (parts == 1) {
            // A confined segment only the caller may read (or a small product): the caller
            // decodes, and the product of each heap block may still use every core.
            rows(a, base, 0, m, step, n, k, alpha, x, xOff, ldx, beta, y, yOff, ldy, GemmEngine.shared());
            return;
        }
        pool.run(parts, part -> rows(a, base, RowParts.rowOf(blocks, parts, part, step, m),
                RowParts.rowOf(blocks, parts, part + 1, step, m), step, n, k, alpha, x, xOff, ldx, beta, y, yOff, ldy,
                SINGLE));
    }

    /**
     * z[zOff + j * ldz + c] = alpha sum_i (a(i, j) - base(i, j)) x[xOff + i * ldx + c] + beta z[..],
     * i < m, j < k, c < n: the transposed product (A - base)^T X for an m x k stored A, base may
     * be null. GEMM would compute it as the thin X^T A and pack all of A, reading each stored
     * row in NR-float pieces a row apart: half of its time (JFR), and twice the time of A X on
     * one core (4096 x 4096, n = 26: 21-23 ms against 10.7). Here each part decodes blocks of
     * consecutive rows (one sequential stream) and accumulates (block^T X_block)^T from cache
     * into its own n x k partial; the partials are added in part order, so the result is the
     * same for a given core count. Measured 17.7 ms for that shape on one core. Without a base
     * the block is not decoded at all: it is GEMM's B operand as stored, and packing B already
     * reads it in long row runs (converting F16/BF16), so a decode copy would only add a second
     * pass over A (2-thread AVX2, 4096 x 4096: 25 -> 34 GFLOPS at n = 26, 40 -> 46 at n = 74).
     * A confined segment (or a small product) is decoded by the caller alone, each block's
     * product using every core.
     */
    public static void multiplyTransposed(MatrixOperand a, MatrixOperand base, int m, int n, int k, float alpha,
                                          float[] x, int xOff, int ldx, float beta, float[] z, int zOff, int ldz) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0 || k == 0 || alpha == 0f) {
            // nothing to decode; GEMM applies beta to z
            Gemm.gemm(Transpose.YES, Transpose.NO, k, n, m, alpha, a, new HeapMatrix(x, xOff, ldx), beta, z, zOff, ldz);
            return;
        }
        if (ldz < n || zOff < 0 || (long) zOff + (long) (k - 1) * ldz + n > z.length) {
            throw new IllegalArgumentException("Z too small or ldz < n: k=" + k + " n=" + n + " ldz=" + ldz);
        }
        GemmPool pool = GemmPool.shared();
        int step = Math.clamp(BLOCK_FLOATS / k, 1, m);
        int blocks = Math.ceilDiv(m, step);
        boolean shared = pool.canRead(a) && (base == null || pool.canRead(base));
        int parts = !shared || (long) m * n * k < (1L << 22) ? 1 : Math.min(pool.parallelism(), blocks);
        // one part on the caller: a confined segment may still have each block's product use every core
        GemmEngine engine = shared ? SINGLE : GemmEngine.shared();
        // without a base the stored rows are the operand (only if shared: the engine may hand them to other threads)
        boolean inPlace = base == null && shared;
        float[][] partials = new float[parts][];
        pool.run(parts, part -> partials[part] = partialTransposed(a, base, RowParts.rowOf(blocks, parts, part, step, m),
                RowParts.rowOf(blocks, parts, part + 1, step, m), step, n, k, alpha, x, xOff, ldx, engine, inPlace));
        sumPartials(partials, n, k, beta, z, zOff, ldz);
    }

    /**
     * Z := sum of the parts' (n x k) partials, transposed, + beta Z. A method of its own so that
     * this loop gets compiled by C2 while the driver above it needs no C2 compile (bin/extsub
     * keeps multiplyTransposed at C1 for extract: bin/extract-jit-directives.json).
     */
    private static void sumPartials(float[][] partials, int n, int k, float beta, float[] z, int zOff, int ldz) {
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < k; j++) {
                float s = 0f;
                for (float[] partial : partials) {
                    s += partial[c * k + j];
                }
                int at = zOff + j * ldz + c;
                z[at] = beta == 0f ? s : s + beta * z[at];
            }
        }
    }

    /**
     * Rows from..to of alpha ((A - base)^T X)^T, n x k row-major: X_block^T block, so that GEMM
     * writes its tiles straight into rows of the partial. The k x n orientation made GEMM flip
     * the thin product and scatter every tile into a strided C (7% of a k = 64 randomized SVD).
     */
    private static float[] partialTransposed(MatrixOperand a, MatrixOperand base, int from, int to, int step, int n,
                                             int k, float alpha, float[] x, int xOff, int ldx, GemmEngine engine,
                                             boolean inPlace) {
        float[] out = new float[Math.multiplyExact(n, k)];
        forEachBlock(a, base, from, to, step, k, inPlace, (r0, h, block) -> engine.gemm(Transpose.YES,
                Transpose.NO, n, k, h, alpha, xRows(x, xOff, ldx, r0), block, r0 == from ? 0f : 1f, out, 0, k));
        return out;
    }

    /**
     * The squared Frobenius norm of A - base (base may be null), m x k, summed in float64 row
     * by row with every core when the workers can read the operands.
     */
    public static double sumOfSquares(MatrixOperand a, MatrixOperand base, int m, int k) {
        GemmPool pool = GemmPool.shared();
        boolean shared = pool.canRead(a) && (base == null || pool.canRead(base));
        return RowParts.sum(m, k, shared, (from, to) -> squares(a, base, from, to, k));
    }

    /**
     * Rows per block of A X: BLOCK_FLOATS / k rounded down to whole row panels of the register
     * tile, since a partial panel at the end of every block is computed as a full, zero-padded
     * one (one core, A 4096 wide, X 74 columns: 128-row blocks 24.7-26.5 GFLOPS, 126-row blocks
     * 27.0-27.8 on the 6-row AVX2 tile); at most m.
     */
    static int blockRows(int m, int k) {
        int rows = BLOCK_FLOATS / k;
        rows = rows >= MR ? rows / MR * MR : Math.max(1, rows);
        return Math.min(rows, m);
    }

    private static double squares(MatrixOperand a, MatrixOperand base, int from, int to, int k) {
        FloatKernels kernels = Kernels.get();
        Operand ao = new Operand(a, false);
        Operand bo = base == null ? null : new Operand(base, false);
        float[] row = new float[k];
        float[] line = bo == null ? null : new float[k];
        double s = 0;
        for (int i = from; i < to; i++) {
            ao.readRun(i, 0, k, row, 0, kernels);
            if (bo == null) {
                s += PLAIN.sumOfSquares(row, 0, k);
            } else {
                // the difference in float64: this norm is the randomized SVD's error reference
                bo.readRun(i, 0, k, line, 0, kernels);
                for (int p = 0; p < k; p++) {
                    double d = (double) row[p] - line[p];
                    s += d * d;
                }
            }
        }
        return s;
    }

    /** block[i * k + p] = a(r0 + i, p) - base(r0 + i, p), i < h. */
    private static void decode(Operand ao, Operand bo, int r0, int h, int k, float[] block, float[] line, FloatKernels kernels) {
        for (int i = 0; i < h; i++) {
            int at = i * k;
            ao.readRun(r0 + i, 0, k, block, at, kernels);
            if (bo != null) {
                bo.readRun(r0 + i, 0, k, line, 0, kernels);
                for (int p = 0; p < k; p++) {
                    block[at + p] -= line[p];
                }
            }
        }
    }

    private static void rows(MatrixOperand a, MatrixOperand base, int from, int to, int step, int n, int k, float alpha,
                             float[] x, int xOff, int ldx, float beta, float[] y, int yOff, int ldy, GemmEngine engine) {
        HeapMatrix xm = new HeapMatrix(x, xOff, ldx);
        // decoded even without a base: GEMM reads a heap block in place (direct paths), a stored A it would pack
        forEachBlock(a, base, from, to, step, k, false, (r0, h, block) -> engine.gemm(Transpose.NO, Transpose.NO, h, n, k,
                alpha, block, xm, beta, y, Math.addExact(yOff, Math.multiplyExact(r0, ldy)), ldy));
    }

    private static HeapMatrix xRows(float[] x, int xOff, int ldx, int r0) {
        return new HeapMatrix(x, Math.addExact(xOff, Math.multiplyExact(r0, ldx)), ldx);
    }

    /** The stored matrix from row r0 on, in its own storage (no copy). */
    private static MatrixOperand rowsFrom(MatrixOperand a, int r0) {
        return switch (a) {
            case HeapMatrix h -> new HeapMatrix(h.data(), Math.addExact(h.offset(), Math.multiplyExact(r0, h.rowStride())), h.rowStride());
            case SegmentMatrix s -> new SegmentMatrix(s.segment(),
                    Math.addExact(s.byteOffset(), Math.multiplyExact(Math.multiplyExact((long) r0, s.rowStride()), s.type().byteSize())),
                    s.type(), s.rowStride(), s.colStride());
        };
    }

    /** What is done with each block: rows r0 .. r0 + h of A - base, as an h x k operand. */
    private interface BlockAction {
        void apply(int r0, int h, MatrixOperand block);
    }

    /**
     * Rows from..to of A - base in blocks of at most {@code step} rows: decoded into one reused
     * heap buffer, or with {@code inPlace} (no base) the stored rows themselves.
     */
    private static void forEachBlock(MatrixOperand a, MatrixOperand base, int from, int to, int step, int k,
                                     boolean inPlace, BlockAction action) {
        if (from >= to) {
            return;
        }
        if (inPlace) {
            for (int r0 = from; r0 < to; r0 += step) {
                action.apply(r0, Math.min(step, to - r0), rowsFrom(a, r0));
            }
            return;
        }
        FloatKernels kernels = Kernels.get();
        Operand ao = new Operand(a, false);
        Operand bo = base == null ? null : new Operand(base, false);
        float[] block = new float[Math.multiplyExact(Math.min(step, to - from), k)];
        HeapMatrix decoded = new HeapMatrix(block, 0, k);
        float[] line = bo == null ? null : new float[k];
        for (int r0 = from; r0 < to; r0 += step) {
            int h = Math.min(step, to - r0);
            decode(ao, bo, r0, h, k, block, line, kernels);
            action.apply(r0, h, decoded);
        }
    }
}
