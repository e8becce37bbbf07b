package io.extsub.jmh;

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
 * The same square SGEMM on a JVM without {@code jdk.incubator.vector} (as plain
 * {@code java -jar} runs it): what users of restricted JVMs get from the scalar 4x4 kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class GemmScalarBenchmark {

    @Param({"256", "512", "1024"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private GemmProblem problem;

    @Setup
    public void setup() {
        if (!Kernels.get().name().equals("scalar")) {
            throw new IllegalStateException("expected the scalar path, got " + Kernels.get().name());
        }
        problem = GemmProblem.square(n, threads);
    }

    @Benchmark
    public float[] gemm() {
        return problem.run();
    }
}
