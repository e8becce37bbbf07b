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
 * safetensors data section) against {@code MemorySegment.copy} of the same bytes into the
 * heap: the copy is the bandwidth ceiling; the target is >= 80% of it (bytes read per second).
 * {@code elements} is the tensor size; the source holds 2 bytes per element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConversionBenchmark {

    @Param({"262144", "16777216"})
    public int elements;

    private Arena arena;
    private Path file;
    private MemorySegment mapped;
    private float[] dst;
    private MemorySegment bytes;
    private FloatKernels kernels;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        kernels = Kernels.get();
        System.out.println("[setup] kernels=" + kernels.name());
        file = Files.createTempFile("extsub-conv", ".bin");
        long size = 2L * elements + 1;
        byte[] data = new byte[(int) size];
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
        bytes = MemorySegment.ofArray(new byte[2 * elements]);
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
    public MemorySegment copyBytes() {
        MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, 1, bytes, ValueLayout.JAVA_BYTE, 0, 2L * elements);
        return bytes;
    }
}
