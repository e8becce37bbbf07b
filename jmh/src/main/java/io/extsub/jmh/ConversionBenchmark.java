package io.extsub.jmh;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * F16 -> F32 and BF16 -> F32 decoding from a memory-mapped file (odd byte offset, as in a
 * safetensors data section) into a heap {@code float[]}, against two {@code MemorySegment.copy}
 * references that read the same mapped segment at the same offset and write the same
 * {@code float[]} (as a heap segment):
 * <ul>
 *   <li>{@code copySourceBytes}: the 2n source bytes (issue 2's reference, "the same bytes");
 *   <li>{@code copyOutputBytes}: 4n bytes, what the decoders store (what an F32 tensor costs).
 * </ul>
 * A decoder must store twice what {@code copySourceBytes} stores, so where stores bound the
 * copy (L1) or write traffic does (memory) it runs near {@code copyOutputBytes}, not above it.
 * The sizes put source + output in L1 (4 Ki elements, 24 KiB), L2 (64 Ki, 384 KiB), L3
 * (256 Ki, 1.5 MiB) and memory (16 Mi, 96 MiB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConversionBenchmark {

    @Param({"4096", "65536", "262144", "16777216"})
    public int elements;

    private Arena arena;
    private Path file;
    private MemorySegment mapped;
    private float[] dst;
    private MemorySegment dstSegment;
    private FloatKernels kernels;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        kernels = Kernels.get();
        System.out.println("[setup] kernels=" + kernels.name());
        file = Files.createTempFile("extsub-conv", ".bin");
        // 4n bytes after the odd offset, so copyOutputBytes reads the same mapping; the
        // decoders read the first 2n (F16 bit patterns of values in [-4, 4)).
        long size = Math.addExact(Math.multiplyExact(4L, elements), 1);
        byte[] data = new byte[Math.toIntExact(size)];
        float[] values = GemmProblem.random(elements, 5, 4);
        for (int e = 0; e < elements; e++) {
            short h = Float.floatToFloat16(values[e]);
            data[1 + 2 * e] = (byte) h;
            data[2 + 2 * e] = (byte) (h >> 8);
        }
        Files.write(file, data);
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
        dst = new float[elements];
        dstSegment = MemorySegment.ofArray(dst);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public float[] f16ToF32() {
        kernels.toFloat(mapped, 1, ElementType.F16, dst, 0, elements);
        return dst;
    }

    @Benchmark
    public float[] bf16ToF32() {
        kernels.toFloat(mapped, 1, ElementType.BF16, dst, 0, elements);
        return dst;
    }

    @Benchmark
    public float[] copySourceBytes() {
        MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, 1, dstSegment, ValueLayout.JAVA_BYTE, 0, 2L * elements);
        return dst;
    }

    @Benchmark
    public float[] copyOutputBytes() {
        MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, 1, dstSegment, ValueLayout.JAVA_BYTE, 0, 4L * elements);
        return dst;
    }
}
