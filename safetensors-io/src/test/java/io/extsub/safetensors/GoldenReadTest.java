package io.extsub.safetensors;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads every {@code .safetensors} of the golden folder (written by an independent Python
 * writer) and checks names, dtypes and shapes against each case.json, and sample values
 * against golden-samples.tsv, which src/test/python/golden_samples.py produced by decoding the
 * files with Python's json module and numpy (see that script for the exact command).
 */
class GoldenReadTest {

    private static Path golden() {
        Path g = Path.of(System.getProperty("extsub.golden", "/work/shared/golden"));
        assumeTrue(Files.isDirectory(g), "golden folder absent: " + g);
        return g;
    }

    private record Shape(String dtype, List<Long> shape) {
    }

    @Test
    void namesDtypesAndShapesMatchEveryCase() throws Exception {
        Path g = golden();
        int filesChecked = 0;
        try (Stream<Path> cases = Files.list(g)) {
            for (Path c : cases.filter(p -> Files.isRegularFile(p.resolve("case.json"))).sorted().toList()) {
                JsonObject cj = Json.parseObject(Files.readString(c.resolve("case.json")));
                JsonObject inputs = cj.getObject("inputs").orElseThrow();
                Map<String, Shape> inputTensors = expectations(inputs.getArray("tensors").orElseThrow());
                for (String side : List.of("expert", "anti_expert")) {
                    Path f = c.resolve(inputs.getString(side).orElse(side)).resolve("adapter_model.safetensors");
                    assertMatches(f, inputTensors);
                    filesChecked++;
                }
                for (JsonValue rv : cj.getArray("runs").orElseThrow().elements()) {
                    JsonObject run = (JsonObject) rv;
                    if (!"ok".equals(run.getString("outcome").orElseThrow())) {
                        continue;
                    }
                    Path f = c.resolve(run.getString("expected").orElseThrow());
                    assertMatches(f, expectations(run.getArray("expected_tensors").orElseThrow()));
                    filesChecked++;
                }
            }
        }
        long onDisk;
        try (Stream<Path> all = Files.walk(g)) {
            onDisk = all.filter(p -> p.toString().endsWith(".safetensors")).count();
        }
        assertEquals(onDisk, filesChecked, "every golden .safetensors file is described by a case.json");
    }

    private static Map<String, Shape> expectations(JsonArray tensors) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (JsonValue v : tensors.elements()) {
            JsonObject t = (JsonObject) v;
            List<Long> shape = new ArrayList<>();
            for (JsonValue d : t.getArray("shape").orElseThrow().elements()) {
                shape.add(((JsonNumber) d).longValueExact());
            }
            m.put(t.getString("key").orElseThrow(), new Shape(t.getString("dtype").orElseThrow(), shape));
        }
        return m;
    }

    private static void assertMatches(Path file, Map<String, Shape> expected) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, Shape> actual = new LinkedHashMap<>();
            for (TensorView t : f.tensors()) {
                List<Long> shape = new ArrayList<>();
                for (long d : t.shape()) {
                    shape.add(d);
                }
                actual.put(t.name(), new Shape(t.dtype().headerName(), shape));
            }
            assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual), file.toString());
            assertEquals(Map.of("format", "pt"), f.metadata(), file.toString());
        }
    }

    @Test
    void sampleValuesMatchAnIndependentDecoder() throws Exception {
        Path g = golden();
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        Map<String, SafetensorsFile> open = new LinkedHashMap<>();
        int samples = 0;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("golden-samples.tsv"));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line : r.lines().toList()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] col = line.split("\t");
                Path file = g.resolve(col[0]);
                SafetensorsFile f = open.get(col[0]);
                if (f == null) {
                    f = SafetensorsFile.open(file);
                    open.put(col[0], f);
                }
                TensorView t = f.find(col[1]).orElseThrow(() -> new AssertionError(line));
                long index = Long.parseLong(col[2]);
                assertEquals(col[3], t.dtype().headerName(), line);
                long bits = Long.parseUnsignedLong(col[4], 16);
                double expected = col[5].equals("nan") ? Double.NaN : Double.parseDouble(col[5]);
                MemorySegment d = t.data();
                double actual;
                switch (t.dtype()) {
                    case F32 -> {
                        int b = d.getAtIndex(i32, index);
                        assertEquals(bits, Integer.toUnsignedLong(b), line);
                        actual = Float.intBitsToFloat(b);
                    }
                    case F16 -> {
                        short b = d.getAtIndex(i16, index);
                        assertEquals(bits, Short.toUnsignedLong(b), line);
                        actual = Float.float16ToFloat(b);
                    }
                    case BF16 -> {
                        short b = d.getAtIndex(i16, index);
                        assertEquals(bits, Short.toUnsignedLong(b), line);
                        actual = Float.intBitsToFloat(Short.toUnsignedInt(b) << 16);
                    }
                    case F64 -> {
                        long b = d.getAtIndex(i64, index);
                        assertEquals(bits, b, line);
                        actual = Double.longBitsToDouble(b);
                    }
                    default -> throw new AssertionError("unexpected dtype in " + line);
                }
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), line);
                samples++;
            }
        } finally {
            open.values().forEach(SafetensorsFile::close);
        }
        assertTrue(samples > 100, "sample table is populated: " + samples);
        assertFalse(open.isEmpty());
    }

    @Test
    void goldenFilesRoundTripThroughTheWriterByteForByteInData() throws Exception {
        Path g = golden();
        Path tmp = Files.createTempDirectory("extsub-golden-copy");
        try (Stream<Path> all = Files.walk(g)) {
            for (Path p : all.filter(x -> x.toString().endsWith(".safetensors")).sorted().limit(12).toList()) {
                Path out = tmp.resolve("copy.safetensors");
                try (SafetensorsFile f = SafetensorsFile.open(p)) {
                    SafetensorsWriter.copy(out, f.tensors(), f.metadata(), List.of(p));
                    try (SafetensorsFile c = SafetensorsFile.open(out)) {
                        assertEquals(f.tensors().size(), c.tensors().size());
                        for (TensorView t : f.tensors()) {
                            TensorView u = c.find(t.name()).orElseThrow();
                            assertArrayEquals(t.shape(), u.shape());
                            assertEquals(-1, t.data().mismatch(u.data()), p + " " + t.name());
                        }
                    }
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
