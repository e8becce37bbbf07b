package io.extsub.safetensors;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonDuplicateKeyException;
import io.extsub.safetensors.json.JsonException;
import io.extsub.safetensors.json.JsonLimits;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a safetensors file: metadata and one entry per tensor, ordered by
 * data offset. Layout (safetensors spec, "Format"): an unsigned 64-bit little-endian header
 * length N, N bytes of UTF-8 JSON starting with '{' and padded with spaces, then the data
 * section, which the tensors' {@code data_offsets} (relative to its start) must tile exactly.
 *
 * @param metadata     {@code __metadata__}, string to string, in file order (empty when absent)
 * @param tensors      entries sorted by data offset (header order among equal offsets)
 * @param headerLength N, the JSON byte count including padding
 * @param dataLength   bytes in the data section
 */
public record SafetensorsHeader(Map<String, String> metadata, List<Entry> tensors, long headerLength, long dataLength) {

    /** Largest header accepted, as in the reference implementation (safetensors crate). */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

    /** Deep enough for every valid header (object, tensor entry, shape array) plus slack. */
    private static final int MAX_DEPTH = 8;

    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** Offset of the data section from the start of the file. */
    public long dataOffset() {
        return 8 + headerLength;
    }

    /**
     * One tensor as the header describes it.
     * @param begin first byte, relative to the data section
     * @param end   one past the last byte, relative to the data section
     */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long byteSize() {
            return end - begin;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                    && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(begin);
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + "]";
        }
    }

    /**
     * Reads and validates the header of a whole safetensors file held in {@code contents}.
     * @param file named in error messages
     * @throws TensorFormatException naming the file and the first problem found
     */
    public static SafetensorsHeader read(Path file, MemorySegment contents) throws TensorFormatException {
        long size = contents.byteSize();
        if (size < 8) {
            throw new TensorFormatException(file, "file is " + size + " bytes, shorter than the 8-byte header length");
        }
        long n = contents.get(U64_LE, 0);
        if (Long.compareUnsigned(n, MAX_HEADER_LENGTH) > 0) {
            throw new TensorFormatException(file, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_LENGTH + " bytes");
        }
        if (n > size - 8) {
            throw new TensorFormatException(file, "header length " + n + " runs past the end of the file ("
                    + size + " bytes)");
        }
        byte[] bytes = contents.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        int bad = Utf8.firstInvalid(bytes);
        if (bad >= 0) {
            throw new TensorFormatException(file, "header is not valid UTF-8 (byte " + bad + " of the header)");
        }
        if (n == 0 || bytes[0] != '{') {
            throw new TensorFormatException(file, "header is not a JSON object (it must start with '{')");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonObject root = parseJson(file, text, bytes);
        return validate(file, root, n, size - 8 - n);
    }

    private static JsonObject parseJson(Path file, String text, byte[] bytes) throws TensorFormatException {
        Json.Prefix prefix;
        try {
            prefix = Json.parsePrefix(text, new JsonLimits(MAX_DEPTH, text.length(), text.length(), 1_000));
        } catch (JsonDuplicateKeyException e) {
            if (e.depth() == 1) {
                throw new TensorFormatException(file, "duplicate tensor name " + quote(e.key()) + " in the header");
            }
            throw new TensorFormatException(file, "header repeats the member " + quote(e.key())
                    + " at byte " + Utf8.byteOffset(text, e.position()) + " of the header");
        } catch (JsonException e) {
            throw new TensorFormatException(file, "header is not valid JSON: at byte "
                    + Utf8.byteOffset(text, e.position()) + " of the header: " + e.problem());
        }
        for (int i = prefix.end(); i < text.length(); i++) {
            if (text.charAt(i) != ' ') {
                throw new TensorFormatException(file, "header has trailing bytes after the JSON object at byte "
                        + Utf8.byteOffset(text, i) + " (only space padding may follow it)");
            }
        }
        // The first byte is '{', so a successfully parsed prefix is an object.
        return (JsonObject) prefix.value();
    }

    private static SafetensorsHeader validate(Path file, JsonObject root, long headerLength, long dataLength)
            throws TensorFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>(root.size());
        for (Map.Entry<String, JsonValue> m : root.members().entrySet()) {
            String name = m.getKey();
            if (name.equals("__metadata__")) {
                readMetadata(file, m.getValue(), metadata);
            } else {
                entries.add(readEntry(file, name, m.getValue(), dataLength));
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)); // stable
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw new TensorFormatException(file, "tensors " + quote(previous.name) + " " + offsets(previous)
                        + " and " + quote(e.name) + " " + offsets(e) + " overlap");
            }
            if (e.begin > expected) {
                throw new TensorFormatException(file, "hole in the data section: bytes [" + expected + ", " + e.begin
                        + ") before tensor " + quote(e.name) + " belong to no tensor");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataLength) {
            throw new TensorFormatException(file, "data section is " + dataLength + " bytes but the tensors end at byte "
                    + expected + " (" + (dataLength - expected) + " bytes belong to no tensor)");
        }
        return new SafetensorsHeader(metadata, sorted, headerLength, dataLength);
    }

    private static void readMetadata(Path file, JsonValue value, Map<String, String> out) throws TensorFormatException {
        if (!(value instanceof JsonObject obj)) {
            throw new TensorFormatException(file, "__metadata__ must be an object of strings, found " + value.typeName());
        }
        for (Map.Entry<String, JsonValue> m : obj.members().entrySet()) {
            if (!(m.getValue() instanceof JsonString s)) {
                throw new TensorFormatException(file, "__metadata__ must map strings to strings, but "
                        + quote(m.getKey()) + " is a " + m.getValue().typeName());
            }
            out.put(m.getKey(), s.value());
        }
    }

    private static Entry readEntry(Path file, String name, JsonValue value, long dataLength) throws TensorFormatException {
        // The message prefix is built only on failure: quoting every name up front was the
        // largest single cost of parsing a big header.
        if (!(value instanceof JsonObject obj)) {
            throw new TensorFormatException(file, at(name) + "entry must be an object, found " + value.typeName());
        }
        JsonValue dt = required(file, name, obj, "dtype");
        if (!(dt instanceof JsonString dts)) {
            throw new TensorFormatException(file, at(name) + "\"dtype\" must be a string, found " + dt.typeName());
        }
        DType dtype = DType.fromHeaderName(dts.value()).orElseThrow(
                () -> new TensorFormatException(file, at(name) + "unknown dtype " + quote(dts.value())));
        JsonValue sh = required(file, name, obj, "shape");
        if (!(sh instanceof JsonArray shArr)) {
            throw new TensorFormatException(file, at(name) + "\"shape\" must be an array, found " + sh.typeName());
        }
        long[] shape = new long[shArr.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeInteger(file, name, "shape[" + i + "]", shArr.get(i));
        }
        JsonValue off = required(file, name, obj, "data_offsets");
        if (!(off instanceof JsonArray offArr) || offArr.size() != 2) {
            throw new TensorFormatException(file, at(name) + "\"data_offsets\" must be [begin, end], found "
                    + (off instanceof JsonArray a ? "an array of " + a.size() : off.typeName()));
        }
        long begin = nonNegativeInteger(file, name, "data_offsets[0]", offArr.get(0));
        long end = nonNegativeInteger(file, name, "data_offsets[1]", offArr.get(1));
        if (end < begin) {
            throw new TensorFormatException(file, at(name) + "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long elements = 1;
        long bytes;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
        } catch (ArithmeticException e) {
            throw new TensorFormatException(file, at(name) + "shape " + Arrays.toString(shape)
                    + " has more elements than a 64-bit count holds");
        }
        try {
            bytes = dtype.byteSize(elements);
        } catch (ArithmeticException e) {
            throw new TensorFormatException(file, at(name) + "shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs more bytes than a 64-bit count holds");
        }
        if (bytes < 0) {
            throw new TensorFormatException(file, at(name) + elements + " elements of " + dtype + " (" + dtype.bits()
                    + " bits each) do not fill whole bytes");
        }
        if (end - begin != bytes) {
            throw new TensorFormatException(file, at(name) + "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        if (end > dataLength) {
            throw new TensorFormatException(file, at(name) + "data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataLength + " bytes)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static String at(String name) {
        return "tensor " + quote(name) + ": ";
    }

    private static JsonValue required(Path file, String name, JsonObject obj, String field) throws TensorFormatException {
        return obj.get(field).orElseThrow(() -> new TensorFormatException(file, at(name) + "missing \"" + field + "\""));
    }

    private static long nonNegativeInteger(Path file, String name, String what, JsonValue v) throws TensorFormatException {
        if (v instanceof JsonNumber num && num.isIntegral()) {
            long x;
            try {
                x = num.longValueExact();
            } catch (ArithmeticException e) {
                throw new TensorFormatException(file, at(name) + what + " is " + abbreviate(num.lexeme())
                        + ", larger than a 64-bit count holds");
            }
            if (x >= 0) {
                return x;
            }
        }
        throw new TensorFormatException(file, at(name) + what + " must be a non-negative integer, found "
                + (v instanceof JsonNumber num ? abbreviate(num.lexeme()) : v.typeName()));
    }

    private static String offsets(Entry e) {
        return "[" + e.begin + ", " + e.end + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** JSON-quoted and shortened, so odd names cannot break the one-line message. */
    static String quote(String s) {
        String q = Json.write(new JsonString(s));
        return q.length() <= 200 ? q : q.substring(0, 196) + "...\"";
    }
}
