package io.extsub.safetensors.json;

/**
 * A JSON value (RFC 8259 §3). The set is closed: object, array, string, number, true/false
 * and null.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {

    /** The JSON type name, for messages: "object", "array", "string", "number", "boolean", "null". */
    String typeName();
}
