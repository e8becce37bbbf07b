package io.extsub.jmh;

import io.extsub.engine.gemm.GemmEngine;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square SGEMM C = A B (n x n x n, heap float32, beta = 0). GFLOPS = 2 n^3 / time.
 * EJML runs in {@link GemmEjmlBenchmark}, the scalar path in {@link GemmScalarBenchmark};
 * jmh/compare-openblas.sh alternates this with numpy (OpenBLAS) and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class GemmBenchmark {

    @Param({"256", "512", "1024", "2048", "4096"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private GemmEngine engine;
    private HeapMatrix a;
    private HeapMatrix b;
    private float[] c;

    @Setup
    public void setup() {
        engine = GemmEngine.of(Kernels.get(), threads);
        a = HeapMatrix.of(random(n * n, 1), n);
        b = HeapMatrix.of(random(n * n, 2), n);
        c = new float[n * n];
        System.out.println("[setup] " + engine.describe());
    }

    @Benchmark
    public float[] gemm() {
        engine.gemm(Transpose.NO, Transpose.NO, n, n, n, 1f, a, b, 0f, c, 0, n);
        return c;
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
