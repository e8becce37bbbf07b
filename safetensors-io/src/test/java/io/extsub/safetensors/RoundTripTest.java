package io.extsub.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer -> reader round trips for every dtype and odd shapes. */
class RoundTripTest {

    @TempDir
    Path dir;

    private static final long[][] SHAPES = {{}, {0}, {1}, {7}, {2, 3}, {1, 0, 5}, {4, 1, 3}, {2, 2, 2, 2}, {0, 0}};

    /** Every shape whose bits fill whole bytes for {@code dtype}; the rest must be refused up front. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void everyDtypeAndShape(DType dtype) throws Exception {
        SplittableRandom rnd = new SplittableRandom(dtype.ordinal() * 1009L);
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, byte[]> content = new HashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            long[] shape = SHAPES[i];
            long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            String name = "t" + i + "." + dtype;
            if (count * dtype.bits() % 8 != 0) {
                assertThrows(IllegalArgumentException.class, () -> new TensorSpec(name, dtype, shape));
                continue;
            }
            TensorSpec spec = new TensorSpec(name, dtype, shape);
            assertEquals(count * dtype.bits() / 8, spec.byteSize());
            byte[] bytes = new byte[(int) spec.byteSize()];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) rnd.nextInt(256);
            }
            specs.add(spec);
            content.put(name, bytes);
        }
        Path file = dir.resolve(dtype + ".safetensors");
        SafetensorsWriter.write(file, specs, (spec, dst) ->
                MemorySegment.copy(MemorySegment.ofArray(content.get(spec.name())), 0, dst, 0, dst.byteSize()));

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(specs.size(), f.tensors().size());
            for (TensorSpec s : specs) {
                TensorView v = f.find(s.name()).orElseThrow();
                assertEquals(s.dtype(), v.dtype());
                assertArrayEquals(s.shape(), v.shape());
                assertArrayEquals(content.get(s.name()), v.data().toArray(ValueLayout.JAVA_BYTE), s.name());
            }
            assertEquals(0, f.header().dataOffset() % 8, "data section must start 8-aligned");
        }
    }

    @Test
    void headerLayoutIsExactlyAsSpecified() throws Exception {
        Path file = dir.resolve("h.safetensors");
        SafetensorsWriter.write(file, List.of(new TensorSpec("b", DType.F16, new long[] {2}),
                new TensorSpec("a", DType.F32, new long[] {})), (s, d) -> d.fill((byte) 7));
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}";
        int padded = (json.length() + 7) / 8 * 8;
        assertEquals(padded, n);
        assertEquals(json + " ".repeat(padded - json.length()), new String(all, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals(8 + n + 8, all.length);
        for (int i = 8 + (int) n; i < all.length; i++) {
            assertEquals(7, all[i]);
        }
        // File order is data order, which follows the spec list.
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("b", "a"), f.tensors().stream().map(TensorView::name).toList());
        }
    }

    @Test
    void emptyFileAndNoMetadata() throws Exception {
        Path file = dir.resolve("empty.safetensors");
        SafetensorsWriter.write(file, List.of(), Map.of(), List.of(), (s, d) -> { });
        assertEquals("{}      ", new String(Files.readAllBytes(file), 8, 8, StandardCharsets.US_ASCII));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertTrue(f.tensors().isEmpty());
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void valuesSurviveAsNumbers() throws Exception {
        float[] values = {0f, -0f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, -3.25e-7f};
        Path file = dir.resolve("v.safetensors");
        ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        SafetensorsWriter.write(file, List.of(new TensorSpec("x", DType.F32, new long[] {2, 4})), (s, d) -> {
            for (int i = 0; i < values.length; i++) {
                d.setAtIndex(le, i, values[i]);
            }
        });
        // Independent decode of the raw file bytes with a ByteBuffer.
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int base = 8 + (int) bb.getLong(0);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            MemorySegment seg = f.find("x").orElseThrow().data();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(values[i]), bb.getInt(base + 4 * i));
                assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(seg.getAtIndex(le, i)));
            }
        }
    }

    @Test
    void copyFromViewsRoundTrips() throws Exception {
        Path first = dir.resolve("first.safetensors");
        SplittableRandom rnd = new SplittableRandom(5);
        SafetensorsWriter.write(first, List.of(new TensorSpec("w", DType.BF16, new long[] {3, 5}),
                new TensorSpec("s", DType.I64, new long[] {})), (s, d) -> {
            for (long i = 0; i < d.byteSize(); i++) {
                d.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
            }
        });
        Path second = dir.resolve("second.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(first)) {
            SafetensorsWriter.copy(second, f.tensors(), Map.of("format", "pt", "k", "v"), List.of(first));
            try (SafetensorsFile g = SafetensorsFile.open(second)) {
                assertEquals(Map.of("format", "pt", "k", "v"), g.metadata());
                for (TensorView v : f.tensors()) {
                    TensorView w = g.find(v.name()).orElseThrow();
                    assertEquals(v.dtype(), w.dtype());
                    assertArrayEquals(v.shape(), w.shape());
                    assertEquals(-1, v.data().mismatch(w.data()));
                }
            }
        }
    }

    /** A tensor over the mapping threshold is filled through a mapped region of the output. */
    @Test
    void largeTensorGoesThroughAMappedRegion() throws Exception {
        long n = SafetensorsWriter.MAP_THRESHOLD / 4 + 3;
        Path file = dir.resolve("big.safetensors");
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        SafetensorsWriter.write(file, List.of(new TensorSpec("small", DType.U8, new long[] {3}),
                new TensorSpec("big", DType.I32, new long[] {n})), (s, d) -> {
            if (s.name().equals("big")) {
                assertTrue(d.isMapped(), "big tensors are written through the mapping");
                for (long i = 0; i < n; i++) {
                    d.setAtIndex(le, i, (int) (i * 2654435761L));
                }
            } else {
                d.fill((byte) 9);
            }
        });
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            MemorySegment big = f.find("big").orElseThrow().data();
            for (long i = 0; i < n; i += 99_991) {
                assertEquals((int) (i * 2654435761L), big.getAtIndex(le, i));
            }
            assertEquals((int) ((n - 1) * 2654435761L), big.getAtIndex(le, n - 1));
        }
    }

    @Test
    void invalidSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TensorSpec("x", DType.F32, new long[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new TensorSpec("x", DType.F64, new long[] {1L << 62}));
        List<TensorSpec> dup = List.of(new TensorSpec("x", DType.F32, new long[] {1}), new TensorSpec("x", DType.F32, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(dir.resolve("d"), dup, (s, d) -> { }));
        List<TensorSpec> reserved = List.of(new TensorSpec("__metadata__", DType.F32, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(dir.resolve("r"), reserved, (s, d) -> { }));
        assertTrue(Files.notExists(dir.resolve("d")));
    }
}
