package io.extsub.safetensors.json;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonWriterTest {

    @Test
    void compactAndPrettyLayouts() {
        JsonObject o = JsonObject.builder()
                .put("r", 8L)
                .put("alpha", 16.5)
                .put("modules", JsonArray.of(new JsonString("q_proj"), new JsonString("v_proj")))
                .put("empty", JsonObject.EMPTY)
                .put("none", JsonArray.EMPTY)
                .put("flag", true)
                .putNull("n")
                .build();
        assertEquals("{\"r\":8,\"alpha\":16.5,\"modules\":[\"q_proj\",\"v_proj\"],\"empty\":{},\"none\":[],\"flag\":true,\"n\":null}",
                Json.write(o));
        // Python: json.dumps(o, indent=2) prints exactly this layout.
        assertEquals("""
                {
                  "r": 8,
                  "alpha": 16.5,
                  "modules": [
                    "q_proj",
                    "v_proj"
                  ],
                  "empty": {},
                  "none": [],
                  "flag": true,
                  "n": null
                }""", Json.writePretty(o));
    }

    @Test
    void escapes() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f/\u00e9\"",
                Json.write(new JsonString("a\"b\\c\n\r\t\b\f\u0001\u001f\u007f/\u00e9")));
        assertEquals("\"\\u00e9\\ud83d\\ude00\"", new JsonWriter(0, true).write(new JsonString("\u00e9\uD83D\uDE00")));
    }

    @Test
    void numbers() {
        assertEquals("3", Json.write(JsonNumber.of(3L)));
        assertEquals("-9223372036854775808", Json.write(JsonNumber.of(Long.MIN_VALUE)));
        assertEquals("0.1", Json.write(JsonNumber.of(0.1)));
        assertEquals("1.0E-5", Json.write(JsonNumber.of(1e-5)));
        assertEquals("-0.0", Json.write(JsonNumber.of(-0.0)));
        assertEquals("1.0", Json.write(JsonNumber.of(1.0)));
    }

    @Test
    void withReplacesInPlaceAndAppendsNew() {
        JsonObject o = JsonObject.builder().put("a", 1L).put("b", 2L).build();
        assertEquals("{\"a\":1,\"b\":3}", Json.write(o.with("b", 3L)));
        assertEquals("{\"a\":\"x\",\"b\":2}", Json.write(o.with("a", "x")));
        assertEquals("{\"a\":1,\"b\":2,\"c\":false}", Json.write(o.with("c", false)));
        assertEquals("{\"b\":2}", Json.write(o.without("a")));
    }

    /** Random documents: parse(write(v)) == v and write is stable, compact and pretty. */
    @RepeatedTest(value = 200, name = "seed {currentRepetition}")
    void randomRoundTrip(RepetitionInfo info) throws JsonException {
        SplittableRandom rnd = new SplittableRandom(0xC0FFEEL + info.getCurrentRepetition());
        JsonValue v = randomValue(rnd, 0);
        String compact = Json.write(v);
        assertEquals(v, Json.parse(compact));
        assertEquals(v, Json.parse(Json.writePretty(v)));
        assertEquals(v, Json.parse(new JsonWriter(3, true).write(v)));
        assertEquals(compact, Json.write(Json.parse(compact)));
    }

    @RepeatedTest(value = 50, name = "seed {currentRepetition}")
    void doublesRoundTripExactly(RepetitionInfo info) throws JsonException {
        SplittableRandom rnd = new SplittableRandom(77L * info.getCurrentRepetition());
        for (int i = 0; i < 200; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            JsonNumber n = (JsonNumber) Json.parse(Json.write(JsonNumber.of(d)));
            assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits(n.doubleValue()));
        }
    }

    private static JsonValue randomValue(SplittableRandom rnd, int depth) {
        int kind = rnd.nextInt(depth > 4 ? 4 : 6);
        return switch (kind) {
            case 0 -> new JsonString(randomString(rnd));
            case 1 -> rnd.nextBoolean() ? JsonNumber.of(rnd.nextLong()) : JsonNumber.of(rnd.nextDouble(-1e6, 1e6));
            case 2 -> JsonBool.of(rnd.nextBoolean());
            case 3 -> JsonNull.INSTANCE;
            case 4 -> {
                List<JsonValue> l = new ArrayList<>();
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    l.add(randomValue(rnd, depth + 1));
                }
                yield new JsonArray(l);
            }
            default -> {
                JsonObject.Builder b = JsonObject.builder();
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.put(randomString(rnd) + i, randomValue(rnd, depth + 1));
                }
                yield b.build();
            }
        };
    }

    private static String randomString(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> sb.append((char) rnd.nextInt(0x20));
                case 1 -> sb.append("\"\\/".charAt(rnd.nextInt(3)));
                case 2 -> sb.append((char) rnd.nextInt(0x20, 0x7f));
                case 3 -> sb.append((char) rnd.nextInt(0xa0, 0xd800));
                default -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
            }
        }
        return sb.toString();
    }
}
