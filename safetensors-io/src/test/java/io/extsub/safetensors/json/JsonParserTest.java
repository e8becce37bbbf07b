package io.extsub.safetensors.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8259 acceptance and rejection cases, limits and error positions. */
class JsonParserTest {

    @Test
    void parsesEveryValueKind() throws JsonException {
        JsonObject o = (JsonObject) Json.parse(
                " {\"s\":\"x\",\"n\":-12.5e+2,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,[],{}],\"o\":{\"k\":0}} ");
        assertEquals(List.of("s", "n", "t", "f", "z", "a", "o"), List.copyOf(o.members().keySet()));
        assertEquals("x", o.getString("s").orElseThrow());
        assertEquals(-1250.0, o.getNumber("n").orElseThrow());
        assertEquals(true, o.getBoolean("t").orElseThrow());
        assertEquals(false, o.getBoolean("f").orElseThrow());
        assertSame(JsonNull.INSTANCE, o.get("z").orElseThrow());
        JsonArray a = o.getArray("a").orElseThrow();
        assertEquals(3, a.size());
        assertEquals(JsonArray.EMPTY, a.get(1));
        assertEquals(JsonObject.EMPTY, a.get(2));
        assertEquals(0L, o.getObject("o").orElseThrow().getLong("k").orElseThrow());
    }

    @Test
    void typedAccessorsAreEmptyForAbsentOrOtherTypes() throws JsonException {
        JsonObject o = Json.parseObject("{\"s\":\"1\",\"n\":1}");
        assertTrue(o.getString("n").isEmpty());
        assertTrue(o.getNumber("s").isEmpty());
        assertTrue(o.getBoolean("missing").isEmpty());
        assertTrue(o.getLong("s").isEmpty());
    }

    @ParameterizedTest(name = "scalar top level: {0}")
    @ValueSource(strings = {"0", "-0", "1e5", "\"\"", "true", "false", "null", "[]", " \t\r\n 7 \n"})
    void acceptsAnyValueAtTopLevel(String text) throws JsonException {
        Json.parse(text);
    }

    @ParameterizedTest(name = "number {0}")
    @CsvSource({
        "0, 0.0", "-0, -0.0", "12, 12.0", "1.5, 1.5", "-1.25e2, -125.0", "1E+2, 100.0", "1e-2, 0.01", "0.000, 0.0",
        "1e400, Infinity", "-1e400, -Infinity"
    })
    void numbersKeepTheirLexeme(String lexeme, double expected) throws JsonException {
        JsonNumber n = (JsonNumber) Json.parse(lexeme);
        assertEquals(lexeme, n.lexeme());
        assertEquals(expected, n.doubleValue());
    }

    @Test
    void integersBeyondDoublePrecisionSurvive() throws JsonException {
        JsonNumber n = (JsonNumber) Json.parse("9007199254740993");
        assertEquals(9007199254740993L, n.longValueExact());
        assertEquals("9007199254740993", Json.write(n));
        assertTrue(n.isIntegral());
        assertEquals(Long.MIN_VALUE, ((JsonNumber) Json.parse("-9223372036854775808")).longValueExact());
    }

    @Test
    void longValueExactRefusesFractionsAndOverflowFast() throws JsonException {
        assertThrows(ArithmeticException.class, () -> ((JsonNumber) Json.parse("9223372036854775808")).longValueExact());
        assertThrows(ArithmeticException.class, () -> ((JsonNumber) Json.parse("1.5")).longValueExact());
        assertThrows(ArithmeticException.class, () -> ((JsonNumber) Json.parse("1e999999999")).longValueExact());
        assertThrows(ArithmeticException.class, () -> ((JsonNumber) Json.parse("1e-999999999")).longValueExact());
        assertEquals(100L, ((JsonNumber) Json.parse("1e2")).longValueExact());
        assertFalse(((JsonNumber) Json.parse("1e2")).isIntegral());
    }

    @Test
    void unescapesEveryEscape() throws JsonException {
        JsonString s = (JsonString) Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\uD834\\uDD1E\"");
        assertEquals("\" \\ / \b \f \n \r \t A \u00e9 \uD834\uDD1E", s.value());
    }

    @Test
    void acceptsRawNonAsciiAndPairedSurrogates() throws JsonException {
        assertEquals("h\u00e9\u4e2d\uD83D\uDE00", ((JsonString) Json.parse("\"h\u00e9\u4e2d\uD83D\uDE00\"")).value());
    }

    /** Each malformed document with the exact offset and message the parser must report. */
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                          | 0  | unexpected end of input, expected a value",
        "`   `                       | 3  | unexpected end of input, expected a value",
        "`{`                         | 1  | unexpected end of input, expected a member name",
        "`{\"a\" 1}`                 | 5  | expected ':', found '1'",
        "`{\"a\":1,}`                | 7  | expected '\"' to start a member name, found '}'",
        "`{a:1}`                     | 1  | expected '\"' to start a member name, found 'a'",
        "`[1,]`                      | 3  | unexpected ']', expected a value",
        "`[1 2]`                     | 3  | expected ',' or ']', found '2'",
        "`{\"a\":1 \"b\":2}`         | 7  | expected ',' or '}', found '\"'",
        "`01`                        | 0  | leading zero in a number",
        "`-`                         | 1  | unexpected end of input in a number",
        "`1.`                        | 2  | unexpected end of input in a number",
        "`1.e3`                      | 2  | unexpected 'e' in a number",
        "`1e`                        | 2  | unexpected end of input in a number",
        "`+1`                        | 0  | unexpected '+', expected a value",
        "`.5`                        | 0  | unexpected '.', expected a value",
        "`NaN`                       | 0  | unexpected 'N', expected a value",
        "`Infinity`                  | 0  | unexpected 'I', expected a value",
        "`tru`                       | 0  | unexpected 't', expected a value",
        "`nul`                       | 0  | unexpected 'n', expected a value",
        "`True`                      | 0  | unexpected 'T', expected a value",
        "`1 2`                       | 2  | unexpected '2' after the JSON value",
        "`{} x`                      | 3  | unexpected 'x' after the JSON value",
        "`\"abc`                     | 0  | unterminated string",
        "`\"a\\x\"`                  | 2  | invalid escape 'x' in a string",
        "`\"\\u12G4\"`               | 1  | invalid \\u escape",
        "`\"\\u12`                   | 1  | incomplete \\u escape",
        "`\"\\uD834\"`               | 1  | unpaired surrogate escape \\uD834",
        "`\"\\uDD1E\"`               | 1  | unpaired surrogate escape \\uDD1E",
        "`\"\\uD834\\u0041\"`        | 1  | unpaired surrogate escape \\uD834",
        "`{\"a\":1,\"a\":2}`         | 7  | duplicate member name \"a\"",
        "`// c`                      | 0  | unexpected '/', expected a value",
        "`[1]/* c */`                | 3  | unexpected '/' after the JSON value",
    })
    void rejectsWithPosition(String text, int offset, String problem) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(problem, e.problem());
        assertEquals(offset, e.position());
        assertEquals("at offset " + offset + ": " + problem, e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"a\u0001\""));
        assertEquals("at offset 2: control character U+0001 must be escaped", e.getMessage().replace(" in a string", ""));
        assertThrows(JsonException.class, () -> Json.parse("\"a\nb\""));
        assertThrows(JsonException.class, () -> Json.parse("\"a\tb\""));
    }

    @Test
    void rejectsNonJsonWhitespace() {
        assertThrows(JsonException.class, () -> Json.parse("\u00a01"));
        assertThrows(JsonException.class, () -> Json.parse("\f1"));
        assertThrows(JsonException.class, () -> Json.parse("\uFEFF{}"));
    }

    @Test
    void rejectsUnpairedRawSurrogates() {
        assertThrows(JsonException.class, () -> Json.parse("\"\uD800\""));
        assertThrows(JsonException.class, () -> Json.parse("\"\uDC00x\""));
    }

    @Test
    void duplicateKeyReportsNameAndDepth() {
        JsonDuplicateKeyException e = assertThrows(JsonDuplicateKeyException.class,
                () -> Json.parse("{\"x\":{\"k\":1,\"k\":2}}"));
        assertEquals("k", e.key());
        assertEquals(2, e.depth());
        assertEquals(12, e.position());
    }

    @Test
    void depthLimitStopsDeepNesting() throws JsonException {
        JsonLimits limits = new JsonLimits(3, 1000, 1000, 100);
        Json.parse("[[[1]]]", limits);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[[[[1]]]]", limits));
        assertEquals("at offset 3: nesting deeper than 3", e.getMessage());
        // Default limit: a hostile 100k-deep document fails cleanly, not with StackOverflowError.
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException d = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertEquals(64, d.position());
    }

    @Test
    void sizeLimits() throws JsonException {
        JsonLimits limits = new JsonLimits(8, 10, 3, 4);
        assertEquals("at offset 10: document longer than 10 chars",
                assertThrows(JsonException.class, () -> Json.parse("[1,2,3,4,5]", limits)).getMessage());
        Json.parse("\"abc\"", limits);
        assertEquals("at offset 0: string longer than 3 chars",
                assertThrows(JsonException.class, () -> Json.parse("\"abcd\"", limits)).getMessage());
        assertEquals("at offset 1: string longer than 3 chars", assertThrows(JsonException.class,
                () -> Json.parse("[\"\\u0041bcd\"]", new JsonLimits(8, 20, 3, 4))).getMessage());
        Json.parse("1234", limits);
        assertEquals("at offset 0: number longer than 4 chars",
                assertThrows(JsonException.class, () -> Json.parse("12345", limits)).getMessage());
    }

    @Test
    void parseObjectRefusesOtherTopLevelTypes() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parseObject("  [1]"));
        assertEquals("at offset 2: expected a JSON object, found array", e.getMessage());
    }

    @Test
    void parsePrefixStopsAfterTheValue() throws JsonException {
        Json.Prefix p = Json.parsePrefix("{\"a\":1}   junk", JsonLimits.DEFAULT);
        assertEquals(7, p.end());
        assertInstanceOf(JsonObject.class, p.value());
    }

    @Test
    void jsonNumberConstructorValidatesGrammar() {
        for (String bad : new String[] {"", "-", "01", "1.", ".1", "1e", "+1", "1 ", "NaN", "0x10"}) {
            assertThrows(IllegalArgumentException.class, () -> new JsonNumber(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> JsonNumber.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonNumber.of(Double.POSITIVE_INFINITY));
    }
}
