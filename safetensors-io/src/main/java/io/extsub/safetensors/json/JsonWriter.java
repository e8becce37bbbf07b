package io.extsub.safetensors.json;

import java.util.Map;

/**
 * Writes JSON text. Compact form has no whitespace at all; pretty form puts each member and
 * element on its own line with {@code indent} spaces per level and {@code ": "} after names,
 * the layout of Python's {@code json.dumps(indent=N)}. Numbers are written as their lexeme.
 *
 * @param indent     spaces per level; 0 means compact
 * @param asciiOnly  escape every non-ASCII char as {@code \\uXXXX} (Python's ensure_ascii)
 */
public record JsonWriter(int indent, boolean asciiOnly) {

    public static final JsonWriter COMPACT = new JsonWriter(0, false);
    public static final JsonWriter PRETTY = new JsonWriter(2, false);

    public JsonWriter {
        if (indent < 0) {
            throw new IllegalArgumentException("indent < 0");
        }
    }

    public String write(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    public void write(StringBuilder sb, JsonValue value, int level) {
        switch (value) {
            case JsonObject o -> writeObject(sb, o, level);
            case JsonArray a -> writeArray(sb, a, level);
            case JsonString s -> appendString(sb, s.value(), asciiOnly);
            case JsonNumber n -> sb.append(n.lexeme());
            case JsonBool b -> sb.append(b.value() ? "true" : "false");
            case JsonNull x -> sb.append("null");
        }
    }

    private void writeObject(StringBuilder sb, JsonObject o, int level) {
        if (o.members().isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, level + 1);
            appendString(sb, e.getKey(), asciiOnly);
            sb.append(indent > 0 ? ": " : ":");
            write(sb, e.getValue(), level + 1);
        }
        newline(sb, level);
        sb.append('}');
    }

    private void writeArray(StringBuilder sb, JsonArray a, int level) {
        if (a.elements().isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (JsonValue v : a.elements()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, level + 1);
            write(sb, v, level + 1);
        }
        newline(sb, level);
        sb.append(']');
    }

    private void newline(StringBuilder sb, int level) {
        if (indent > 0) {
            sb.append('\n');
            sb.repeat(' ', indent * level);
        }
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 §7). */
    static void appendString(StringBuilder sb, String s, boolean asciiOnly) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e) || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
