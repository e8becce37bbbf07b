package io.extsub.jmh;

import io.extsub.engine.gemm.GemmEngine;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.Kernels;
import java.util.SplittableRandom;

/**
 * One heap float32 product C (m x n) = op(A) B with alpha = 1, beta = 0 and seeded random
 * operands in [-1, 1): the setup and the measured call the GEMM benchmarks share, so they
 * differ only in shape, transposition and seeds. A is stored m x k, or k x m when transposed.
 */
final class GemmProblem {

    private final int m;
    private final int k;
    private final int n;
    private final Transpose transA;
    private final GemmEngine engine;
    private final HeapMatrix a;
    private final HeapMatrix b;
    private final float[] c;

    private GemmProblem(int m, int k, int n, Transpose transA, int threads, long seedA, long seedB) {
        this.m = m;
        this.k = k;
        this.n = n;
        this.transA = transA;
        this.engine = GemmEngine.of(Kernels.get(), threads);
        this.a = HeapMatrix.of(random(m * k, seedA), transA == Transpose.NO ? k : m);
        this.b = HeapMatrix.of(random(k * n, seedB), n);
        this.c = new float[m * n];
    }

    /** Square n x n x n, A B, seeds 1 and 2. */
    static GemmProblem square(int n, int threads) {
        return new GemmProblem(n, n, n, Transpose.NO, threads, 1, 2);
    }

    /** A shape written "m x k x n" as a benchmark parameter, e.g. "4096x16x4096". */
    static GemmProblem parse(String shape, Transpose transA, int threads, long seedA, long seedB) {
        String[] p = shape.split("x");
        return new GemmProblem(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                transA, threads, seedA, seedB);
    }

    float[] run() {
        engine.gemm(transA, Transpose.NO, m, n, k, 1f, a, b, 0f, c, 0, n);
        return c;
    }

    GemmEngine engine() {
        return engine;
    }

    static float[] random(int size, long seed) {
        return random(size, seed, 1);
    }

    /** {@code size} values uniform in [-bound, bound), one nextDouble per value in order. */
    static float[] random(int size, long seed, double bound) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-bound, bound);
        return x;
    }
}
