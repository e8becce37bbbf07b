package io.extsub.engine.simd;

/** Plain-Java 4 x 4 micro-kernel: 16 scalar accumulators fit the 16 SSE registers. */
final class ScalarMicroKernel implements MicroKernel {
    static final int MR = 4;
    static final int NR = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
            float b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            float a0 = a[ap];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            float a1 = a[ap + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            float a2 = a[ap + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            float a3 = a[ap + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        int r = cOff;
        c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03;
        r += ldc;
        c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13;
        r += ldc;
        c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23;
        r += ldc;
        c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33;
    }

    @Override
    public void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n) {
        for (int j = 0; j < n; j++) {
            c[cOff + j] = beta == 0f ? 0f : beta * c[cOff + j];
        }
        for (int p = 0, bp = bOff; p < k; p++, bp += ldb) {
            float ap = a[aOff + p];
            for (int j = 0; j < n; j++) {
                c[cOff + j] = Math.fma(ap, b[bp + j], c[cOff + j]);
            }
        }
    }
}
