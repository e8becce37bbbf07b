package io.extsub.safetensors.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Strict recursive-descent parser for RFC 8259: exactly one value surrounded by optional
 * whitespace (space, tab, LF, CR only), no comments, no trailing commas, no leading zeros,
 * no NaN/Infinity, no raw control characters in strings, no unpaired surrogate escapes and
 * no duplicate member names. Recursion depth is bounded by {@link JsonLimits#maxDepth()}.
 */
final class JsonParser {
    private final String text;
    private final JsonLimits limits;
    private int pos;
    private int depth;

    JsonParser(String text, JsonLimits limits) {
        this.text = text;
        this.limits = limits;
    }

    JsonValue parseDocument() throws JsonException {
        JsonValue v = parseLeadingValue();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(pos) + " after the JSON value");
        }
        return v;
    }

    /** Parses one value after optional whitespace and stops right after it. */
    JsonValue parseLeadingValue() throws JsonException {
        if (text.length() > limits.maxChars()) {
            throw new JsonException(limits.maxChars(), "document longer than " + limits.maxChars() + " chars");
        }
        skipWhitespace();
        return parseValue();
    }

    int position() {
        return pos;
    }

    private JsonValue parseValue() throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> parseObject();
            case '[' -> parseArray();
            case '"' -> new JsonString(parseString());
            case 't' -> literal("true", JsonBool.TRUE);
            case 'f' -> literal("false", JsonBool.FALSE);
            case 'n' -> literal("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield parseNumber();
                }
                throw error("unexpected " + describe(pos) + ", expected a value");
            }
        };
    }

    private JsonObject parseObject() throws JsonException {
        enter();
        pos++; // '{'
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos >= text.length() ? "unexpected end of input, expected a member name"
                        : "expected '\"' to start a member name, found " + describe(pos));
            }
            int keyPos = pos;
            String key = parseString();
            if (members.containsKey(key)) {
                throw new JsonDuplicateKeyException(keyPos, key, depth);
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, parseValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                depth--;
                return new JsonObject(members);
            } else {
                throw error(pos >= text.length() ? "unexpected end of input, expected ',' or '}'"
                        : "expected ',' or '}', found " + describe(pos));
            }
        }
    }

    private JsonArray parseArray() throws JsonException {
        enter();
        pos++; // '['
        ArrayList<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(parseValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                depth--;
                return new JsonArray(elements);
            } else {
                throw error(pos >= text.length() ? "unexpected end of input, expected ',' or ']'"
                        : "expected ',' or ']', found " + describe(pos));
            }
        }
    }

    private void enter() throws JsonException {
        if (++depth > limits.maxDepth()) {
            throw error("nesting deeper than " + limits.maxDepth());
        }
    }

    private String parseString() throws JsonException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw new JsonException(start, "unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s;
                if (sb == null) {
                    s = text.substring(runStart, pos);
                } else {
                    sb.append(text, runStart, pos);
                    s = sb.toString();
                }
                if (s.length() > limits.maxStringChars()) {
                    throw new JsonException(start, "string longer than " + limits.maxStringChars() + " chars");
                }
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " in a string must be escaped");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, runStart, pos);
                int escPos = pos;
                pos++;
                if (pos >= text.length()) {
                    throw new JsonException(start, "unterminated string");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hexEscape(escPos);
                        if (Character.isHighSurrogate(u)) {
                            int lowPos = pos;
                            if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                                pos += 2;
                                char low = hexEscape(lowPos);
                                if (!Character.isLowSurrogate(low)) {
                                    throw new JsonException(escPos, "unpaired surrogate escape \\u" + hex4(u));
                                }
                                sb.append(u).append(low);
                            } else {
                                throw new JsonException(escPos, "unpaired surrogate escape \\u" + hex4(u));
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw new JsonException(escPos, "unpaired surrogate escape \\u" + hex4(u));
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw new JsonException(escPos, "invalid escape " + describe(pos - 1) + " in a string");
                }
                if (sb.length() > limits.maxStringChars()) {
                    throw new JsonException(start, "string longer than " + limits.maxStringChars() + " chars");
                }
                runStart = pos;
                continue;
            }
            // Raw surrogates can only come from a Java string that was not decoded from
            // UTF-8 (a strict decoder never yields unpaired ones); refuse them the same way.
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw error("unpaired surrogate U+" + hex4(c) + " in a string");
            }
            pos++;
            if (pos - start > limits.maxStringChars() + 2 && sb == null) {
                throw new JsonException(start, "string longer than " + limits.maxStringChars() + " chars");
            }
        }
    }

    /** Reads the 4 hex digits after a backslash-u at {@code pos}. */
    private char hexEscape(int escPos) throws JsonException {
        if (pos + 4 > text.length()) {
            throw new JsonException(escPos, "incomplete \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            // Character.digit also accepts non-ASCII digits; JSON allows only 0-9 a-f A-F.
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw new JsonException(escPos, "invalid \\u escape");
            }
            v = (v << 4) | d;
        }
        pos += 4;
        return (char) v;
    }

    private JsonNumber parseNumber() throws JsonException {
        int start = pos;
        int end = JsonNumber.grammarEnd(text, pos);
        if (end < 0) {
            int bad = -end - 1;
            throw new JsonException(bad, bad >= text.length() ? "unexpected end of input in a number"
                    : "unexpected " + describe(bad) + " in a number");
        }
        if (end - start > limits.maxNumberChars()) {
            throw new JsonException(start, "number longer than " + limits.maxNumberChars() + " chars");
        }
        // A digit right after "0" (leading zero) ends the grammar early; catch it here so the
        // message names the real problem rather than "after the JSON value".
        if (end < text.length() && Character.isDigit(text.charAt(end)) && text.charAt(end - 1) == '0') {
            throw new JsonException(start, "leading zero in a number");
        }
        pos = end;
        return new JsonNumber(text.substring(start, end));
    }

    private JsonValue literal(String word, JsonValue value) throws JsonException {
        if (text.startsWith(word, pos)) {
            pos += word.length();
            return value;
        }
        throw error("unexpected " + describe(pos) + ", expected a value");
    }

    private void expect(char c) throws JsonException {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected '" + c + "'");
        }
        if (text.charAt(pos) != c) {
            throw error("expected '" + c + "', found " + describe(pos));
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private JsonException error(String problem) {
        return new JsonException(pos, problem);
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "end of input";
        }
        char c = text.charAt(at);
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return "U+" + hex4(c);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        JsonWriter.appendString(sb, s, true);
        return sb.toString();
    }
}
