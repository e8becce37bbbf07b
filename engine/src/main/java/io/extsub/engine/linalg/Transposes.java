package io.extsub.engine.linalg;

/** Out-of-place transposition of row-major float arrays, in cache-sized tiles. */
final class Transposes {
    private static final int TILE = 32;

    private Transposes() {}

    /** The n x m transpose of the row-major m x n matrix a. */
    static float[] transpose(float[] a, int m, int n) {
        float[] t = new float[Math.multiplyExact(m, n)];
        transposeInto(a, m, n, t);
        return t;
    }

    /** t (n x m) := a^T, a row-major m x n. */
    static void transposeInto(float[] a, int m, int n, float[] t) {
        for (int i0 = 0; i0 < m; i0 += TILE) {
            int i1 = Math.min(m, i0 + TILE);
            for (int j0 = 0; j0 < n; j0 += TILE) {
                int j1 = Math.min(n, j0 + TILE);
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
