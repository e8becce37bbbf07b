package io.extsub.jmh;

import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
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
 * EJML's float GEMM on the same inputs as {@link GemmBenchmark}: {@code CommonOps_FDRM.mult}
 * for 1 thread, {@code CommonOps_MT_FDRM.mult} for 2. Default sizes stop at 1024 because
 * EJML needs 2 s (n = 2048) to 22 s (n = 4096) per product; add them with -p n=2048.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class GemmEjmlBenchmark {

    @Param({"256", "512", "1024"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private FMatrixRMaj a;
    private FMatrixRMaj b;
    private FMatrixRMaj c;

    @Setup
    public void setup() {
        a = new FMatrixRMaj(n, n, true, GemmProblem.random(n * n, 1));
        b = new FMatrixRMaj(n, n, true, GemmProblem.random(n * n, 2));
        c = new FMatrixRMaj(n, n);
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        if (threads == 1) {
            CommonOps_FDRM.mult(a, b, c);
        } else {
            CommonOps_MT_FDRM.mult(a, b, c);
        }
        return c;
    }
}
