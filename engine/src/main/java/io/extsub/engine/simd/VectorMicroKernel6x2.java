package io.extsub.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 6 x (2 vectors) FMA micro-kernel for 16-register vector files (x86 AVX2: 6 x 16 floats, the
 * shape BLIS uses on Haswell and Zen). 12 accumulators + 2 B vectors + 1 broadcast = 15 live
 * registers, so nothing spills; {@link VectorMicroKernel5x4}'s 25 live vectors spill on such a
 * file and ran at 18 GFLOPS against 36 for OpenBLAS on a 40 GFLOPS-per-core AVX2 host
 * (docs/benchmarks.md, "AVX2 host"). Per k step: 2 vector loads of B, 6 broadcasts of A,
 * 12 FMAs; 12 independent chains cover a 4-5 cycle FMA latency at one or two FMAs per cycle.
 */
final class VectorMicroKernel6x2 implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int NARROW_MR = 12;

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
        // Strided operands as in VectorMicroKernel5x4.tile: one method for every layout.
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        final int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs, a5 = 5 * aRs;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += bPs) {
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
        }
        // Written out rather than through a helper: vectors passed to a call that is not
        // inlined get boxed, which costs more than the whole tile.
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
        }
    }

    @Override
    public int narrowMr() {
        return NARROW_MR;
    }

    @Override
    public void tileDirectNarrow(int kc, float[] a, int aOff, int aRs, int aPs, float[] b, int bOff,
                                 boolean overwrite, float[] c, int cOff, int ldc) {
        // 12 rows x 1 vector: the same 12 accumulators, 1 B load and 12 broadcasts per k step,
        // for C only one vector wide (half of the NR panel).
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        final int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs, a5 = 5 * aRs;
        final int a6 = 6 * aRs, a7 = 7 * aRs, a8 = 8 * aRs, a9 = 9 * aRs, a10 = 10 * aRs, a11 = 11 * aRs;
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += aPs, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ap + a1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ap + a2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ap + a3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ap + a4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ap + a5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ap + a6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ap + a7]).fma(b0, c7);
            c8 = FloatVector.broadcast(S, a[ap + a8]).fma(b0, c8);
            c9 = FloatVector.broadcast(S, a[ap + a9]).fma(b0, c9);
            c10 = FloatVector.broadcast(S, a[ap + a10]).fma(b0, c10);
            c11 = FloatVector.broadcast(S, a[ap + a11]).fma(b0, c11);
        }
        int at = cOff;
        if (overwrite) {
            c0.intoArray(c, at); at += ldc;
            c1.intoArray(c, at); at += ldc;
            c2.intoArray(c, at); at += ldc;
            c3.intoArray(c, at); at += ldc;
            c4.intoArray(c, at); at += ldc;
            c5.intoArray(c, at); at += ldc;
            c6.intoArray(c, at); at += ldc;
            c7.intoArray(c, at); at += ldc;
            c8.intoArray(c, at); at += ldc;
            c9.intoArray(c, at); at += ldc;
            c10.intoArray(c, at); at += ldc;
            c11.intoArray(c, at);
        } else {
            FloatVector.fromArray(S, c, at).add(c0).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c1).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c2).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c3).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c4).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c5).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c6).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c7).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c8).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c9).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c10).intoArray(c, at); at += ldc;
            FloatVector.fromArray(S, c, at).add(c11).intoArray(c, at);
        }
    }

    @Override
    public void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n) {
        VectorRowKernel.row(k, a, aOff, b, bOff, ldb, beta, c, cOff, n);
    }
}
