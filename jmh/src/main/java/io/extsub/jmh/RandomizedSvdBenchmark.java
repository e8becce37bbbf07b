package io.extsub.jmh;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.Gemm;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.gemm.Transpose;
import io.extsub.engine.linalg.LinearOperator;
import io.extsub.engine.linalg.LowRankSvd;
import io.extsub.engine.linalg.RandomizedSvd;
import io.extsub.engine.simd.Kernels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Randomized SVD (scikit-learn defaults: oversampling 10, 7 or 4 power iterations) of a
 * 4096 x 4096 and an 11008 x 4096 matrix, k = 16 and 64, read through GEMM packing from
 * a heap float32 array or a BF16 segment (as a mapped checkpoint would be).
 *
 * <p>{@code main} also has a {@code compare} mode used by jmh/compare-sklearn.sh: it maps a
 * raw float32 file, times the factorization in-process and writes U, S, V^T for the
 * script to score against scikit-learn.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class RandomizedSvdBenchmark {

    @Param({"4096x4096", "11008x4096"})
    public String shape;

    @Param({"16", "64"})
    public int k;

    @Param({"F32", "BF16"})
    public String storage;

    private LinearOperator op;
    private Arena arena;

    @Setup(Level.Trial)
    public void setup() {
        String[] mn = shape.split("x");
        int m = Integer.parseInt(mn[0]);
        int n = Integer.parseInt(mn[1]);
        float[] a = exponentialSpectrum(m, n, 512, 32.0, 7);
        MatrixOperand operand = HeapMatrix.of(a, n);
        if (storage.equals("BF16")) {
            arena = Arena.ofShared();
            MemorySegment seg = arena.allocate((long) m * n * 2);
            Kernels.get().fromFloat(a, 0, seg, 0, ElementType.BF16, m * n);
            operand = SegmentMatrix.rowMajor(seg, ElementType.BF16, n);
        }
        op = LinearOperator.of(operand, m, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (arena != null) {
            arena.close();
        }
    }

    @Benchmark
    public LowRankSvd randomizedSvd() {
        return RandomizedSvd.fixedRank(op, k, RandomizedSvd.Options.defaults());
    }

    /**
     * G1 diag(s) G2 with Gaussian G1 (m x r) and G2 (r x n) scaled to near-orthonormal, s_i =
     * exp(-i / decay): a decaying spectrum of rank r, like a fine-tuning delta.
     */
    static float[] exponentialSpectrum(int m, int n, int r, double decay, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] g1 = new float[m * r];
        float[] g2 = new float[r * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                g1[i * r + j] = (float) (rng.nextGaussian() / Math.sqrt(m) * Math.exp(-j / decay));
            }
        }
        for (int i = 0; i < g2.length; i++) {
            g2[i] = (float) (rng.nextGaussian() / Math.sqrt(n));
        }
        float[] a = new float[Math.multiplyExact(m, n)];
        Gemm.gemm(Transpose.NO, Transpose.NO, m, n, r, 1f, HeapMatrix.of(g1, r), HeapMatrix.of(g2, n), 0f, a, 0, n);
        return a;
    }

    /**
     * {@code compare FILE M N K REPS OUTDIR [WARMUP]}: maps FILE (raw little-endian float32,
     * M x N), runs the fixed-rank randomized SVD WARMUP times untimed (default 0; the JIT needs
     * one or two runs, as scikit-learn gets one untimed call), then REPS times, printing one
     * line per run, and writes u.f32, s.f32, vt.f32 of the last run into OUTDIR. Otherwise runs
     * JMH with the arguments.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("compare")) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Path file = Path.of(args[1]);
        int m = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int k = Integer.parseInt(args[4]);
        int reps = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        int warmUp = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        // Shared, as the CLI maps its inputs (MappedFile): GEMM workers may then read the segment.
        try (Arena arena = Arena.ofShared();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            LinearOperator op = LinearOperator.of(SegmentMatrix.rowMajor(seg, ElementType.F32, n), m, n);
            for (int i = 0; i < warmUp; i++) {
                long t0 = System.nanoTime();
                RandomizedSvd.fixedRank(op, k, RandomizedSvd.Options.defaults().withSeed(100 + i));
                System.out.printf(Locale.ROOT, "ours warm-up %d: %.3f s%n", i, (System.nanoTime() - t0) / 1e9);
            }
            LowRankSvd r = null;
            double[] times = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                r = RandomizedSvd.fixedRank(op, k, RandomizedSvd.Options.defaults().withSeed(i));
                times[i] = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "ours run %d: %.3f s (reported error %.6f)%n", i, times[i], r.relativeError());
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "ours best %.3f s median %.3f s kernels=%s%n", times[0], times[reps / 2], Kernels.get().name());
            write(out.resolve("u.f32"), r.u());
            write(out.resolve("s.f32"), r.s());
            write(out.resolve("vt.f32"), r.vt());
        }
    }

    private static void write(Path p, float[] x) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(x.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        Files.write(p, b.array());
    }
}
