package io.extsub.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The skinny row kernel ({@link MicroKernel#row}) shared by both vector tile shapes: its 8
 * accumulators, one broadcast and the B operands folded into the FMAs fit a 16-register file
 * as well as a 32-register one.
 */
final class VectorRowKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of the main loop: 8 vectors. */
    static final int WIDTH = 8 * L;

    private VectorRowKernel() {}

    static void row(int k, float[] a, int aOff, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int n) {
        int j = 0;
        // 8 vectors of C stay in registers across the whole k loop, so every element of C is
        // written once, and 8 independent FMA chains cover the 4-cycle FMA latency on 2 pipes.
        for (; j <= n - 8 * L; j += 8 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
                FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
                s0 = x.fma(FloatVector.fromArray(S, b, bp), s0);
                s1 = x.fma(FloatVector.fromArray(S, b, bp + L), s1);
                s2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), s2);
                s3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * L), s3);
                s4 = x.fma(FloatVector.fromArray(S, b, bp + 4 * L), s4);
                s5 = x.fma(FloatVector.fromArray(S, b, bp + 5 * L), s5);
                s6 = x.fma(FloatVector.fromArray(S, b, bp + 6 * L), s6);
                s7 = x.fma(FloatVector.fromArray(S, b, bp + 7 * L), s7);
            }
            int at = cOff + j;
            if (beta != 0f) {
                FloatVector bv = FloatVector.broadcast(S, beta);
                s0 = FloatVector.fromArray(S, c, at).fma(bv, s0);
                s1 = FloatVector.fromArray(S, c, at + L).fma(bv, s1);
                s2 = FloatVector.fromArray(S, c, at + 2 * L).fma(bv, s2);
                s3 = FloatVector.fromArray(S, c, at + 3 * L).fma(bv, s3);
                s4 = FloatVector.fromArray(S, c, at + 4 * L).fma(bv, s4);
                s5 = FloatVector.fromArray(S, c, at + 5 * L).fma(bv, s5);
                s6 = FloatVector.fromArray(S, c, at + 6 * L).fma(bv, s6);
                s7 = FloatVector.fromArray(S, c, at + 7 * L).fma(bv, s7);
            }
            s0.intoArray(c, at);
            s1.intoArray(c, at + L);
            s2.intoArray(c, at + 2 * L);
            s3.intoArray(c, at + 3 * L);
            s4.intoArray(c, at + 4 * L);
            s5.intoArray(c, at + 5 * L);
            s6.intoArray(c, at + 6 * L);
            s7.intoArray(c, at + 7 * L);
        }
        for (; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector s = FloatVector.zero(S);
            for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
                s = FloatVector.broadcast(S, a[aOff + p]).fma(FloatVector.fromArray(S, b, bp, m), s);
            }
            int at = cOff + j;
            if (beta != 0f) {
                s = FloatVector.fromArray(S, c, at, m).fma(FloatVector.broadcast(S, beta), s);
            }
            s.intoArray(c, at, m);
        }
    }
}
