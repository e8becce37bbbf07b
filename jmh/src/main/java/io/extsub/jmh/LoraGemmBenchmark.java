package io.extsub.jmh;

import io.extsub.engine.gemm.Transpose;
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

    private GemmProblem problem;

    @Setup
    public void setup() {
        problem = GemmProblem.parse(shape, Transpose.NO, threads, 1, 2);
    }

    @Benchmark
    public float[] gemm() {
        return problem.run();
    }
}
