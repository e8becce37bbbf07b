package io.extsub.engine.simd;

/** Plain-Java 4 x 4 micro-kernel: 16 scalar accumulators fit the 16 SSE registers. */
final class ScalarMicroKernel implements MicroKernel {
    static final int MR = 4;
    static final int NR = 4;
    static final int NARROW_MR = 8;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public int rowWidth() {
        return 2 * NR;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bPs,
                     boolean overwrite, float[] c, int cOff, int ldc) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        final int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += bPs) {
            float b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            float a0v = a[ap];
            c00 = Math.fma(a0v, b0, c00); c01 = Math.fma(a0v, b1, c01); c02 = Math.fma(a0v, b2, c02); c03 = Math.fma(a0v, b3, c03);
            float a1v = a[ap + a1];
            c10 = Math.fma(a1v, b0, c10); c11 = Math.fma(a1v, b1, c11); c12 = Math.fma(a1v, b2, c12); c13 = Math.fma(a1v, b3, c13);
            float a2v = a[ap + a2];
            c20 = Math.fma(a2v, b0, c20); c21 = Math.fma(a2v, b1, c21); c22 = Math.fma(a2v, b2, c22); c23 = Math.fma(a2v, b3, c23);
            float a3v = a[ap + a3];
            c30 = Math.fma(a3v, b0, c30); c31 = Math.fma(a3v, b1, c31); c32 = Math.fma(a3v, b2, c32); c33 = Math.fma(a3v, b3, c33);
        }
        int r = cOff;
        if (overwrite) {
            c[r] = c00; c[r + 1] = c01; c[r + 2] = c02; c[r + 3] = c03;
            r += ldc;
            c[r] = c10; c[r + 1] = c11; c[r + 2] = c12; c[r + 3] = c13;
            r += ldc;
            c[r] = c20; c[r + 1] = c21; c[r + 2] = c22; c[r + 3] = c23;
            r += ldc;
            c[r] = c30; c[r + 1] = c31; c[r + 2] = c32; c[r + 3] = c33;
        } else {
            c[r] = c[r] + c00; c[r + 1] = c[r + 1] + c01; c[r + 2] = c[r + 2] + c02; c[r + 3] = c[r + 3] + c03;
            r += ldc;
            c[r] = c[r] + c10; c[r + 1] = c[r + 1] + c11; c[r + 2] = c[r + 2] + c12; c[r + 3] = c[r + 3] + c13;
            r += ldc;
            c[r] = c[r] + c20; c[r + 1] = c[r + 1] + c21; c[r + 2] = c[r + 2] + c22; c[r + 3] = c[r + 3] + c23;
            r += ldc;
            c[r] = c[r] + c30; c[r + 1] = c[r + 1] + c31; c[r + 2] = c[r + 2] + c32; c[r + 3] = c[r + 3] + c33;
        }
    }

    @Override
    public int narrowMr() {
        return NARROW_MR;
    }

    @Override
    public void tileDirectNarrow(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff,
                                 boolean overwrite, float[] c, int cOff, int ldc) {
        float c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0, c40 = 0, c41 = 0, c50 = 0, c51 = 0, c60 = 0, c61 = 0, c70 = 0, c71 = 0;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += NR) {
            float b0 = b[bp], b1 = b[bp + 1];
            float a0v = a[ap];
            c00 = Math.fma(a0v, b0, c00); c01 = Math.fma(a0v, b1, c01);
            float a1v = a[ap + 1 * aRs];
            c10 = Math.fma(a1v, b0, c10); c11 = Math.fma(a1v, b1, c11);
            float a2v = a[ap + 2 * aRs];
            c20 = Math.fma(a2v, b0, c20); c21 = Math.fma(a2v, b1, c21);
            float a3v = a[ap + 3 * aRs];
            c30 = Math.fma(a3v, b0, c30); c31 = Math.fma(a3v, b1, c31);
            float a4v = a[ap + 4 * aRs];
            c40 = Math.fma(a4v, b0, c40); c41 = Math.fma(a4v, b1, c41);
            float a5v = a[ap + 5 * aRs];
            c50 = Math.fma(a5v, b0, c50); c51 = Math.fma(a5v, b1, c51);
            float a6v = a[ap + 6 * aRs];
            c60 = Math.fma(a6v, b0, c60); c61 = Math.fma(a6v, b1, c61);
            float a7v = a[ap + 7 * aRs];
            c70 = Math.fma(a7v, b0, c70); c71 = Math.fma(a7v, b1, c71);
        }
        int r = cOff;
        if (overwrite) {
            c[r] = c00; c[r + 1] = c01;
            r += ldc;
            c[r] = c10; c[r + 1] = c11;
            r += ldc;
            c[r] = c20; c[r + 1] = c21;
            r += ldc;
            c[r] = c30; c[r + 1] = c31;
            r += ldc;
            c[r] = c40; c[r + 1] = c41;
            r += ldc;
            c[r] = c50; c[r + 1] = c51;
            r += ldc;
            c[r] = c60; c[r + 1] = c61;
            r += ldc;
            c[r] = c70; c[r + 1] = c71;
        } else {
            c[r] += c00; c[r + 1] += c01;
            r += ldc;
            c[r] += c10; c[r + 1] += c11;
            r += ldc;
            c[r] += c20; c[r + 1] += c21;
            r += ldc;
            c[r] += c30; c[r + 1] += c31;
            r += ldc;
            c[r] += c40; c[r + 1] += c41;
            r += ldc;
            c[r] += c50; c[r + 1] += c51;
            r += ldc;
            c[r] += c60; c[r + 1] += c61;
            r += ldc;
            c[r] += c70; c[r + 1] += c71;
        }
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
