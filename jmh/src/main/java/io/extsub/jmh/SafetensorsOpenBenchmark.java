package io.extsub.jmh;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.SafetensorsHeader;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 2, "Numbers": opening a safetensors file costs the header, not the data. Two files
 * with the same 300-tensor header layout, ~10 MB and ~1 GB of F32 data, are opened (map +
 * header parse + validation + views) and closed (unmap). Nothing reads tensor bytes, so the
 * ratio of the two should be close to 1.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * SafetensorsOpenBenchmark -f 1 -wi 2 -i 5}. The files go to a temp folder (override with
 * {@code -Dextsub.bench.dir=...}); about 1 GB of free disk is needed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SafetensorsOpenBenchmark {

    static final int TENSORS = 300;

    /** Total data bytes: ~10 MB or ~1 GB. */
    @Param({"10000000", "1000000000"})
    public long dataBytes;

    private Path folder;
    private Path file;
    private Arena arena;
    private MemorySegment mapped;

    @Setup
    public void writeFile() throws IOException {
        String base = System.getProperty("extsub.bench.dir");
        folder = base == null ? Files.createTempDirectory("extsub-open-bench")
                : Files.createTempDirectory(Path.of(base), "extsub-open-bench");
        file = folder.resolve("model.safetensors");
        long perTensor = dataBytes / TENSORS / 4; // F32 elements per tensor
        long cols = 64;
        long rows = Math.max(1, perTensor / cols);
        List<TensorSpec> specs = new ArrayList<>(TENSORS);
        for (int i = 0; i < TENSORS; i++) {
            specs.add(new TensorSpec("base_model.model.model.layers." + (i / 6) + ".mlp.proj_" + (i % 6) + ".weight",
                    DType.F32, new long[] {rows, cols}));
        }
        // Real bytes in every page, so the 1 GB file is not sparse.
        SafetensorsWriter.write(file, specs, (spec, dst) -> {
            long n = dst.byteSize() / 8;
            for (long k = 0; k < n; k++) {
                dst.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, k, k * 0x9E3779B97F4A7C15L);
            }
        });
        mapOnce();
    }

    private void mapOnce() throws IOException {
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    @TearDown
    public void deleteFile() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(folder);
    }

    /** The header validation alone, on a mapping made once in setup: the part that scales with the header. */
    @Benchmark
    public long headerOnly() throws IOException {
        SafetensorsHeader h = SafetensorsHeader.read(file, mapped);
        return h.dataLength() + h.tensors().size();
    }

    /** Open, look up one tensor's segment, close. Returns something so the work is not dead. */
    @Benchmark
    public long openAndClose() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            MemorySegment last = f.tensors().get(TENSORS - 1).data();
            return last.byteSize() + f.header().headerLength();
        }
    }

    /**
     * Interleaved check for a busy machine: JMH measures one file size after the other, so load
     * from other processes lands unevenly. This opens the two files in alternating batches
     * (ABBA order) in one JVM and reports the median batch time of each and their ratio.
     * Run: {@code java -cp jmh/target/benchmarks.jar io.extsub.jmh.SafetensorsOpenBenchmark [rounds]}.
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int batch = 20;
        SafetensorsOpenBenchmark small = new SafetensorsOpenBenchmark();
        small.dataBytes = 10_000_000L;
        SafetensorsOpenBenchmark big = new SafetensorsOpenBenchmark();
        big.dataBytes = 1_000_000_000L;
        small.writeFile();
        big.writeFile();
        try {
            double[] ts = new double[rounds];
            double[] tb = new double[rounds];
            long sink = 0;
            for (int warm = 0; warm < 2_000; warm++) {
                sink += small.openAndClose() + big.openAndClose();
            }
            for (int r = 0; r < rounds; r++) {
                boolean smallFirst = (r & 1) == 0;
                for (int k = 0; k < 2; k++) {
                    SafetensorsOpenBenchmark b = (k == 0) == smallFirst ? small : big;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < batch; i++) {
                        sink += b.openAndClose();
                    }
                    double us = (System.nanoTime() - t0) / 1e3 / batch;
                    (b == small ? ts : tb)[r] = us;
                }
            }
            java.util.Arrays.sort(ts);
            java.util.Arrays.sort(tb);
            System.out.printf("open+close, %d rounds x %d opens, us/op: 10 MB median %.1f (p10 %.1f), 1 GB median %.1f (p10 %.1f),"
                    + " ratio of medians 1GB/10MB = %.2f  [%d]%n", rounds, batch, ts[rounds / 2], ts[rounds / 10],
                    tb[rounds / 2], tb[rounds / 10], tb[rounds / 2] / ts[rounds / 2], sink & 1);
        } finally {
            small.deleteFile();
            big.deleteFile();
        }
    }
}
