package io.extsub.jmh;

import io.extsub.engine.gemm.GemmEngine;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.simd.Kernels;
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
 * The LoRA shapes, written m x k x n (C m x n = A m x k times B k x n): the rank-16 update
 * B A of a 4096 x 4096 projection, a projection times a rank-32 basis, and the MLP shapes
 * with rank 64. GFLOPS = 2 m k n / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class LoraGemmBenchmark {

    @Param({"4096x16x4096", "4096x4096x32", "11008x4096x64", "4096x64x11008"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int k;
    private int n;
    private GemmEngine engine;
    private HeapMatrix a;
    private HeapMatrix b;
    private float[] c;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        engine = GemmEngine.of(Kernels.get(), threads);
        a = HeapMatrix.of(GemmBenchmark.random(m * k, 1), k);
        b = HeapMatrix.of(GemmBenchmark.random(k * n, 2), n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] gemm() {
        engine.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, b, 0f, c, 0, n);
        return c;
    }
}
