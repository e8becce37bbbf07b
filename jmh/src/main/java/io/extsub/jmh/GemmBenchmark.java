package io.extsub.jmh;

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

    private GemmProblem problem;

    @Setup
    public void setup() {
        problem = GemmProblem.square(n, threads);
        System.out.println("[setup] " + problem.engine().describe());
    }

    @Benchmark
    public float[] gemm() {
        return problem.run();
    }
}
