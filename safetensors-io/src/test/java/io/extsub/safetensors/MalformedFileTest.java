package io.extsub.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One case per validation rule of the reader, each asserting its specific message. */
class MalformedFileTest {

    @TempDir
    Path dir;

    private static final String OK_T = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private String refuse(byte[] content) {
        Path f = RawFiles.write(dir, "bad.safetensors", content);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafetensorsFile.open(f).close());
        assertEquals(f, e.file());
        assertEquals(f + ": " + e.problem(), e.getMessage());
        return e.problem();
    }

    private String refuse(String header, int dataLength) {
        return refuse(RawFiles.bytes(header, dataLength));
    }

    @Test
    void shorterThanTheLengthPrefix() {
        assertEquals("file is 0 bytes, shorter than the 8-byte header length", refuse(new byte[0]));
        assertEquals("file is 7 bytes, shorter than the 8-byte header length", refuse(new byte[7]));
    }

    @Test
    void headerLengthOverTheLimit() {
        assertEquals("header length 100000001 exceeds the limit of 100000000 bytes",
                refuse(RawFiles.withLength(100_000_001L, new byte[16])));
        assertEquals("header length 18446744073709551615 exceeds the limit of 100000000 bytes",
                refuse(RawFiles.withLength(-1L, new byte[16])));
    }

    @Test
    void headerLengthPastTheEnd() {
        assertEquals("header length 9 runs past the end of the file (16 bytes)",
                refuse(RawFiles.withLength(9, "{}      ".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void headerNotUtf8() {
        byte[] h = "{\"a\u00FF\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("header is not valid UTF-8 (byte 3 of the header)", refuse(RawFiles.bytes(h, 0)));
        // Overlong encoding of '/' and an encoded surrogate are invalid UTF-8 too.
        assertEquals("header is not valid UTF-8 (byte 1 of the header)",
                refuse(RawFiles.bytes(new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'}, 0)));
        assertEquals("header is not valid UTF-8 (byte 2 of the header)",
                refuse(RawFiles.bytes(new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, 0)));
    }

    @ParameterizedTest(name = "header {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"`[]`", "` {}`", "`\"x\"`", "`1`", "``", "`\n{}`"})
    void headerNotAJsonObject(String header) {
        assertEquals("header is not a JSON object (it must start with '{')", refuse(header, 0));
    }

    @Test
    void headerNotValidJson() {
        assertEquals("header is not valid JSON: at byte 5 of the header: expected ':', found '}'", refuse("{\"a\" }", 0));
        assertEquals("header is not valid JSON: at byte 1 of the header: unexpected end of input, expected a member name",
                refuse("{", 0));
        // Byte offsets, not char offsets: the two-byte é puts the comma at char 5 but byte 6.
        assertEquals("header is not valid JSON: at byte 6 of the header: expected ':', found ','", refuse("{\"\u00e9\" ,}", 0));
    }

    @Test
    void trailingGarbageAfterTheObject() {
        assertEquals("header has trailing bytes after the JSON object at byte 2 (only space padding may follow it)",
                refuse("{}\n     ", 0));
        assertEquals("header has trailing bytes after the JSON object at byte 4 (only space padding may follow it)",
                refuse("{}  x   ", 0));
        assertEquals("header has trailing bytes after the JSON object at byte 2 (only space padding may follow it)",
                refuse("{}{}    ", 0));
    }

    @Test
    void metadataNotAStringToStringObject() {
        assertEquals("__metadata__ must be an object of strings, found array", refuse("{\"__metadata__\":[]}", 0));
        assertEquals("__metadata__ must be an object of strings, found string", refuse("{\"__metadata__\":\"pt\"}", 0));
        assertEquals("__metadata__ must map strings to strings, but \"n\" is a number",
                refuse("{\"__metadata__\":{\"format\":\"pt\",\"n\":1}}", 0));
        assertEquals("__metadata__ must map strings to strings, but \"o\" is a object",
                refuse("{\"__metadata__\":{\"o\":{}}}", 0));
    }

    @Test
    void duplicateTensorNames() {
        assertEquals("duplicate tensor name \"w\" in the header",
                refuse("{\"w\":" + OK_T + ",\"w\":" + OK_T + "}", 8));
        assertEquals("duplicate tensor name \"__metadata__\" in the header",
                refuse("{\"__metadata__\":{},\"__metadata__\":{}}", 0));
    }

    @Test
    void duplicateFieldInsideAnEntry() {
        assertEquals("header repeats the member \"dtype\" at byte 20 of the header",
                refuse("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
    }

    @Test
    void entryNotAnObject() {
        assertEquals("tensor \"w\": entry must be an object, found array", refuse("{\"w\":[1]}", 0));
    }

    @Test
    void missingFields() {
        assertEquals("tensor \"w\": missing \"dtype\"", refuse("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
        assertEquals("tensor \"w\": missing \"shape\"", refuse("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8));
        assertEquals("tensor \"w\": missing \"data_offsets\"", refuse("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8));
    }

    @Test
    void unknownOrMistypedDtype() {
        assertEquals("tensor \"w\": unknown dtype \"F12\"", refuse(entry("\"F12\"", "[2]", "[0,8]"), 8));
        assertEquals("tensor \"w\": unknown dtype \"f32\"", refuse(entry("\"f32\"", "[2]", "[0,8]"), 8));
        assertEquals("tensor \"w\": \"dtype\" must be a string, found number", refuse(entry("32", "[2]", "[0,8]"), 8));
    }

    @ParameterizedTest(name = "shape {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`[-2]`      | shape[0] must be a non-negative integer, found -2",
        "`[2.0]`     | shape[0] must be a non-negative integer, found 2.0",
        "`[2e0]`     | shape[0] must be a non-negative integer, found 2e0",
        "`[1,\"2\"]` | shape[1] must be a non-negative integer, found string",
        "`[1,null]`  | shape[1] must be a non-negative integer, found null",
        "`[[2]]`     | shape[0] must be a non-negative integer, found array",
        "`[9223372036854775808]` | shape[0] is 9223372036854775808, larger than a 64-bit count holds",
        "`{}`        | \"shape\" must be an array, found object",
        "`2`         | \"shape\" must be an array, found number",
    })
    void badShapeEntries(String shape, String problem) {
        assertEquals("tensor \"w\": " + problem, refuse(entry("\"F32\"", shape, "[0,8]"), 8));
    }

    @Test
    void elementCountOverflow() {
        assertEquals("tensor \"w\": shape [4294967296, 4294967296] has more elements than a 64-bit count holds",
                refuse(entry("\"U8\"", "[4294967296,4294967296]", "[0,8]"), 8));
        assertEquals("tensor \"w\": shape [4611686018427387904] of F32 needs more bytes than a 64-bit count holds",
                refuse(entry("\"F32\"", "[4611686018427387904]", "[0,8]"), 8));
    }

    @Test
    void subByteDtypesMustFillWholeBytes() {
        assertEquals("tensor \"w\": 3 elements of F4 (4 bits each) do not fill whole bytes",
                refuse(entry("\"F4\"", "[3]", "[0,2]"), 2));
        assertEquals("tensor \"w\": 2 elements of F6_E2M3 (6 bits each) do not fill whole bytes",
                refuse(entry("\"F6_E2M3\"", "[2]", "[0,2]"), 2));
    }

    @Test
    void spanDisagreesWithShapeAndDtype() {
        assertEquals("tensor \"w\": data_offsets [0, 6] span 6 bytes but shape [2] of F32 needs 8",
                refuse(entry("\"F32\"", "[2]", "[0,6]"), 6));
        assertEquals("tensor \"w\": data_offsets [0, 8] span 8 bytes but shape [2] of F16 needs 4",
                refuse(entry("\"F16\"", "[2]", "[0,8]"), 8));
    }

    @ParameterizedTest(name = "data_offsets {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`[0]`       | \"data_offsets\" must be [begin, end], found an array of 1",
        "`[0,8,8]`   | \"data_offsets\" must be [begin, end], found an array of 3",
        "`\"0,8\"`   | \"data_offsets\" must be [begin, end], found string",
        "`[-1,8]`    | data_offsets[0] must be a non-negative integer, found -1",
        "`[0,8.5]`   | data_offsets[1] must be a non-negative integer, found 8.5",
        "`[8,0]`     | data_offsets [8, 0] end before they begin",
    })
    void badDataOffsets(String offsets, String problem) {
        assertEquals("tensor \"w\": " + problem, refuse(entry("\"F32\"", "[2]", offsets), 8));
    }

    @Test
    void offsetsPastTheEndOfTheData() {
        assertEquals("tensor \"w\": data_offsets [0, 8] run past the end of the data section (7 bytes)",
                refuse(entry("\"F32\"", "[2]", "[0,8]"), 7));
        assertEquals("tensor \"w\": data_offsets [8, 16] run past the end of the data section (8 bytes)",
                refuse(entry("\"F32\"", "[2]", "[8,16]"), 8));
    }

    @Test
    void overlappingTensors() {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertEquals("tensors \"a\" [0, 8] and \"b\" [4, 12] overlap", refuse(h, 12));
        String same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        assertEquals("tensors \"a\" [0, 8] and \"b\" [0, 8] overlap", refuse(same, 8));
        // An empty tensor may not sit inside another one either.
        String inside = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        assertEquals("tensors \"a\" [0, 8] and \"z\" [4, 4] overlap", refuse(inside, 8));
    }

    @Test
    void holesInTheData() {
        assertEquals("hole in the data section: bytes [0, 4) before tensor \"w\" belong to no tensor",
                refuse(entry("\"F32\"", "[2]", "[4,12]"), 12));
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertEquals("hole in the data section: bytes [4, 8) before tensor \"b\" belong to no tensor", refuse(gap, 12));
    }

    @Test
    void dataLongerThanTheLastOffset() {
        assertEquals("data section is 9 bytes but the tensors end at byte 8 (1 bytes belong to no tensor)",
                refuse(entry("\"F32\"", "[2]", "[0,8]"), 9));
        assertEquals("data section is 3 bytes but the tensors end at byte 0 (3 bytes belong to no tensor)",
                refuse("{}", 3));
    }

    @Test
    void namesWithOddCharactersStayOnOneLine() {
        String problem = refuse("{\"a\\nb\":{\"dtype\":\"X\",\"shape\":[],\"data_offsets\":[0,0]}}", 0);
        assertEquals("tensor \"a\\nb\": unknown dtype \"X\"", problem);
    }

    private static String entry(String dtype, String shape, String offsets) {
        return "{\"w\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }
}
