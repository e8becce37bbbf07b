package io.extsub.safetensors.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A JSON object. Members keep their insertion (file) order and the map is unmodifiable. The
 * parser refuses duplicate names (RFC 8259 §4 says names "SHOULD be unique"; we make it a
 * MUST, since a second value silently winning is how header-confusion bugs start).
 *
 * <p>The typed accessors return empty both when the member is absent and when it has another
 * type; use {@link #get(String)} when the difference matters for an error message.
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    public static final JsonObject EMPTY = new JsonObject(Map.of());

    public JsonObject {
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members.size() * 2);
        for (Map.Entry<String, JsonValue> e : members.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "member name"),
                    Objects.requireNonNull(e.getValue(), "member value"));
        }
        members = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return members.size();
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    public Optional<JsonValue> get(String key) {
        return Optional.ofNullable(members.get(key));
    }

    public Optional<String> getString(String key) {
        return members.get(key) instanceof JsonString s ? Optional.of(s.value()) : Optional.empty();
    }

    public OptionalDouble getNumber(String key) {
        return members.get(key) instanceof JsonNumber n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }

    /** The member as a long when it is a number with an exact long value. */
    public OptionalLong getLong(String key) {
        if (members.get(key) instanceof JsonNumber n) {
            try {
                return OptionalLong.of(n.longValueExact());
            } catch (ArithmeticException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    public Optional<Boolean> getBoolean(String key) {
        return members.get(key) instanceof JsonBool b ? Optional.of(b.value()) : Optional.empty();
    }

    public Optional<JsonObject> getObject(String key) {
        return members.get(key) instanceof JsonObject o ? Optional.of(o) : Optional.empty();
    }

    public Optional<JsonArray> getArray(String key) {
        return members.get(key) instanceof JsonArray a ? Optional.of(a) : Optional.empty();
    }

    /** A copy with {@code key} set to {@code value}: an existing member keeps its position. */
    public JsonObject with(String key, JsonValue value) {
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
        copy.put(key, value);
        return new JsonObject(copy);
    }

    public JsonObject with(String key, String value) {
        return with(key, new JsonString(value));
    }

    public JsonObject with(String key, long value) {
        return with(key, JsonNumber.of(value));
    }

    public JsonObject with(String key, double value) {
        return with(key, JsonNumber.of(value));
    }

    public JsonObject with(String key, boolean value) {
        return with(key, JsonBool.of(value));
    }

    /** A copy without {@code key} (the same object when it is absent). */
    public JsonObject without(String key) {
        if (!members.containsKey(key)) {
            return this;
        }
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
        copy.remove(key);
        return new JsonObject(copy);
    }

    @Override
    public String typeName() {
        return "object";
    }

    @Override
    public String toString() {
        return Json.write(this);
    }

    /** Collects members in order; a repeated name replaces the earlier value in place. */
    public static final class Builder {
        private final LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String key, JsonValue value) {
            members.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, new JsonString(value));
        }

        public Builder put(String key, long value) {
            return put(key, JsonNumber.of(value));
        }

        public Builder put(String key, double value) {
            return put(key, JsonNumber.of(value));
        }

        public Builder put(String key, boolean value) {
            return put(key, JsonBool.of(value));
        }

        public Builder putNull(String key) {
            return put(key, JsonNull.INSTANCE);
        }

        public JsonObject build() {
            return new JsonObject(members);
        }
    }
}
