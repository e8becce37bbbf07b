package io.extsub.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 5 x (4 vectors) FMA micro-kernel for 32-register vector files (AVX-512, and the 32 registers
 * of NEON/SVE): 20 vector accumulators. Measured on Zen 5 (JAVA-BUILD.md section 6) as the
 * best shape; 24 or more live accumulators make C2 spill and re-box the vectors (a 15x
 * slowdown), so do not widen it. Per k step: 4 vector loads of B, 5 broadcasts of A, 20 FMAs,
 * which keeps both FMA pipes busy with loads to spare. With only 16 registers (AVX2) the 25
 * live vectors spill and it runs at half speed: {@link VectorMicroKernel6x2} serves there.
 */
final class VectorMicroKernel5x4 implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 5;
    static final int NR = 4 * L;
    static final int NARROW_MR = 10;
    static final int WIDE_MR = 4;
    static final int WIDE_NR = NR + L;

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
        return VectorRowKernel.WIDTH;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bPs,
                     boolean overwrite, float[] c, int cOff, int ldc) {
        // One kernel for the in-place operands and their packed edges (strides as arguments):
        // a single method for C2 to compile and profile. Separate direct-A / direct-B copies
        // were each compiled 2-4 times (OSR, deopts) and cost ~2 s of C2 time in a 3.6 s
        // extract. Only the packed nest, where the range checks mattered, has its own copy
        // (tilePacked).
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        final int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += bPs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[ap + a1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[ap + a2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[ap + a3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[ap + a4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
        }
        // Written out rather than through a helper: vectors passed to a call that is not
        // inlined get boxed, which costs more than the whole tile.
        int at = cOff;
        if (overwrite) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + L);
            c02.intoArray(c, at + 2 * L);
            c03.intoArray(c, at + 3 * L);
            at += ldc;
            c10.intoArray(c, at);
            c11.intoArray(c, at + L);
            c12.intoArray(c, at + 2 * L);
            c13.intoArray(c, at + 3 * L);
            at += ldc;
            c20.intoArray(c, at);
            c21.intoArray(c, at + L);
            c22.intoArray(c, at + 2 * L);
            c23.intoArray(c, at + 3 * L);
            at += ldc;
            c30.intoArray(c, at);
            c31.intoArray(c, at + L);
            c32.intoArray(c, at + 2 * L);
            c33.intoArray(c, at + 3 * L);
            at += ldc;
            c40.intoArray(c, at);
            c41.intoArray(c, at + L);
            c42.intoArray(c, at + 2 * L);
            c43.intoArray(c, at + 3 * L);
        } else {
            FloatVector.fromArray(S, c, at).add(c00).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c01).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c02).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c03).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c10).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c11).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c12).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c13).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c20).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c21).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c22).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c23).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c30).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c31).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c32).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c33).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c40).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c41).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c42).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c43).intoArray(c, at + 3 * L);
        }
    }

    @Override
    public void tilePacked(int kc, float[] a, int aOff, float[] b, int bOff,
                           boolean overwrite, float[] c, int cOff, int ldc) {
        // The tile with the packed strides as constants: every index is the loop counter times
        // a constant plus an invariant, so C2 hoists the array range checks out of the loop
        // (with strides as arguments they stay in it: 13% of the samples of a 2048^3 GEMM).
        // 2048^3 on one AVX-512 core: 92 -> 112 GFLOPS with KC = 512 (docs/benchmarks.md,
        // "AVX-512 host (2026-12-03)").
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
        }
        int at = cOff;
        if (overwrite) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + L);
            c02.intoArray(c, at + 2 * L);
            c03.intoArray(c, at + 3 * L);
            at += ldc;
            c10.intoArray(c, at);
            c11.intoArray(c, at + L);
            c12.intoArray(c, at + 2 * L);
            c13.intoArray(c, at + 3 * L);
            at += ldc;
            c20.intoArray(c, at);
            c21.intoArray(c, at + L);
            c22.intoArray(c, at + 2 * L);
            c23.intoArray(c, at + 3 * L);
            at += ldc;
            c30.intoArray(c, at);
            c31.intoArray(c, at + L);
            c32.intoArray(c, at + 2 * L);
            c33.intoArray(c, at + 3 * L);
            at += ldc;
            c40.intoArray(c, at);
            c41.intoArray(c, at + L);
            c42.intoArray(c, at + 2 * L);
            c43.intoArray(c, at + 3 * L);
        } else {
            FloatVector.fromArray(S, c, at).add(c00).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c01).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c02).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c03).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c10).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c11).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c12).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c13).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c20).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c21).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c22).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c23).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c30).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c31).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c32).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c33).intoArray(c, at + 3 * L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c40).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c41).intoArray(c, at + L);
            FloatVector.fromArray(S, c, at + 2 * L).add(c42).intoArray(c, at + 2 * L);
            FloatVector.fromArray(S, c, at + 3 * L).add(c43).intoArray(c, at + 3 * L);
        }
    }

    @Override
    public int narrowMr() {
        return NARROW_MR;
    }

    @Override
    public void tileDirectNarrow(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff,
                                 boolean overwrite, float[] c, int cOff, int ldc) {
        // 10 rows x 2 vectors: still 20 accumulators (the limit, section 2.3 of engine-kernels.md),
        // 2 B loads and 10 broadcasts per k step, for C only 32 floats wide (n = 32).
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        final int a1 = 1 * aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs, a5 = 5 * aRs, a6 = 6 * aRs, a7 = 7 * aRs, a8 = 8 * aRs, a9 = 9 * aRs;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + a1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + a2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + a3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ap + a4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ap + a5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ap + a6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ap + a7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, a[ap + a8]);
            c80 = x.fma(b0, c80); c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, a[ap + a9]);
            c90 = x.fma(b0, c90); c91 = x.fma(b1, c91);
        }
        int at = cOff;
        if (overwrite) {
            c00.intoArray(c, at); c01.intoArray(c, at + L);
            at += ldc;
            c10.intoArray(c, at); c11.intoArray(c, at + L);
            at += ldc;
            c20.intoArray(c, at); c21.intoArray(c, at + L);
            at += ldc;
            c30.intoArray(c, at); c31.intoArray(c, at + L);
            at += ldc;
            c40.intoArray(c, at); c41.intoArray(c, at + L);
            at += ldc;
            c50.intoArray(c, at); c51.intoArray(c, at + L);
            at += ldc;
            c60.intoArray(c, at); c61.intoArray(c, at + L);
            at += ldc;
            c70.intoArray(c, at); c71.intoArray(c, at + L);
            at += ldc;
            c80.intoArray(c, at); c81.intoArray(c, at + L);
            at += ldc;
            c90.intoArray(c, at); c91.intoArray(c, at + L);
        } else {
            FloatVector.fromArray(S, c, at).add(c00).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c01).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c10).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c11).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c20).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c21).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c30).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c31).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c40).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c41).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c50).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c51).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c60).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c61).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c70).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c71).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c80).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c81).intoArray(c, at + L);
            at += ldc;
            FloatVector.fromArray(S, c, at).add(c90).intoArray(c, at);
            FloatVector.fromArray(S, c, at + L).add(c91).intoArray(c, at + L);
        }
    }

    @Override
    public int wideMr() {
        return WIDE_MR;
    }

    @Override
    public int wideNr() {
        return WIDE_NR;
    }

    @Override
    public void tileDirectWide(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff, int bOff2,
                               float[] t) {
        // 4 rows x 5 vectors: 20 accumulators (the limit), 5 B loads and 4 broadcasts per k step,
        // for C NR + L wide: 74 columns cost 80 FMA columns instead of 64 + 32 through the full
        // and the narrow tile, and A is read once instead of twice.
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c04 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00, c14 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c24 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00, c34 = c00;
        final int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs;
        int ap = aOff;
        int bp = bOff;
        int bq = bOff2;
        for (int p = 0; p < kc; p++, ap += aPs, bp += NR, bq += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector b4 = FloatVector.fromArray(S, b, bq);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03); c04 = x.fma(b4, c04);
            x = FloatVector.broadcast(S, a[ap + a1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13); c14 = x.fma(b4, c14);
            x = FloatVector.broadcast(S, a[ap + a2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23); c24 = x.fma(b4, c24);
            x = FloatVector.broadcast(S, a[ap + a3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33); c34 = x.fma(b4, c34);
        }
        c00.intoArray(t, 0); c01.intoArray(t, L); c02.intoArray(t, 2 * L); c03.intoArray(t, 3 * L); c04.intoArray(t, 4 * L);
        c10.intoArray(t, WIDE_NR); c11.intoArray(t, WIDE_NR + L); c12.intoArray(t, WIDE_NR + 2 * L);
        c13.intoArray(t, WIDE_NR + 3 * L); c14.intoArray(t, WIDE_NR + 4 * L);
        c20.intoArray(t, 2 * WIDE_NR); c21.intoArray(t, 2 * WIDE_NR + L); c22.intoArray(t, 2 * WIDE_NR + 2 * L);
        c23.intoArray(t, 2 * WIDE_NR + 3 * L); c24.intoArray(t, 2 * WIDE_NR + 4 * L);
        c30.intoArray(t, 3 * WIDE_NR); c31.intoArray(t, 3 * WIDE_NR + L); c32.intoArray(t, 3 * WIDE_NR + 2 * L);
        c33.intoArray(t, 3 * WIDE_NR + 3 * L); c34.intoArray(t, 3 * WIDE_NR + 4 * L);
    }

    @Override
    public void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n) {
        VectorRowKernel.row(k, a, aOff, b, bOff, ldb, beta, c, cOff, n);
    }
}
