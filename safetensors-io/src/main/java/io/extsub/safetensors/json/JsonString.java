package io.extsub.safetensors.json;

import java.util.Objects;

/** A JSON string, already unescaped. */
public record JsonString(String value) implements JsonValue {

    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    public static JsonString of(String value) {
        return new JsonString(value);
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
