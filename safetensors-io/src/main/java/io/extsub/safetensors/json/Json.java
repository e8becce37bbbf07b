package io.extsub.safetensors.json;

/** Entry points of the strict JSON codec (RFC 8259). */
public final class Json {

    private Json() {
    }

    /** Parses one JSON document with {@link JsonLimits#DEFAULT}. */
    public static JsonValue parse(String text) throws JsonException {
        return parse(text, JsonLimits.DEFAULT);
    }

    public static JsonValue parse(String text, JsonLimits limits) throws JsonException {
        return new JsonParser(text, limits).parseDocument();
    }

    /** Parses a document that must be an object (as config files and safetensors headers are). */
    public static JsonObject parseObject(String text) throws JsonException {
        return parseObject(text, JsonLimits.DEFAULT);
    }

    public static JsonObject parseObject(String text, JsonLimits limits) throws JsonException {
        JsonValue v = parse(text, limits);
        if (v instanceof JsonObject o) {
            return o;
        }
        int at = 0;
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        throw new JsonException(at, "expected a JSON object, found " + v.typeName());
    }

    /** One value and the offset just past it (the caller decides what may follow). */
    public record Prefix(JsonValue value, int end) {
    }

    /**
     * Parses one value after optional whitespace and stops right after it, leaving the rest
     * of the text to the caller (a safetensors header allows only space padding after it).
     */
    public static Prefix parsePrefix(String text, JsonLimits limits) throws JsonException {
        JsonParser p = new JsonParser(text, limits);
        JsonValue v = p.parseLeadingValue();
        return new Prefix(v, p.position());
    }

    /** Compact text, no whitespace. */
    public static String write(JsonValue value) {
        return JsonWriter.COMPACT.write(value);
    }

    /** Two-space indented text, one member or element per line. */
    public static String writePretty(JsonValue value) {
        return JsonWriter.PRETTY.write(value);
    }
}
