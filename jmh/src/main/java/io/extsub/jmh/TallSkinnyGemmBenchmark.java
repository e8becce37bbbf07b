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
 * The products of the QR / randomized SVD code (issue 5): C = A^T B with both operands tall
 * (k = 4096 rows stored) and the result small, written m x k x n: Q^T V (256 x 4096 x 16) and
 * the Gram matrix Y^T Y (74 x 4096 x 74). A is stored k x m and used transposed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TallSkinnyGemmBenchmark {

    @Param({"256x4096x16", "74x4096x74"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmProblem problem;

    @Setup
    public void setup() {
        problem = GemmProblem.parse(shape, Transpose.YES, threads, 3, 4);
    }

    @Benchmark
    public float[] gemm() {
        return problem.run();
    }
}
