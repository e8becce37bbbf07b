package io.extsub.peft;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonException;
import io.extsub.safetensors.json.JsonNull;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed adapter_config.json: the type, the base model, and the whole JSON object (kept so
 * the output config can carry every field we do not change). Type-specific fields are read
 * by {@link LoraScaling#of} and {@link PrefixGeometry#of}.
 */
public record AdapterConfig(Path file, JsonObject json, PeftType peftType, Optional<String> baseModel) {

    public static final String FILE_NAME = "adapter_config.json";
    /** adapter_config.json is small; anything larger is not one. */
    private static final long MAX_BYTES = 16L << 20;

    public static AdapterConfig read(Path dir) throws AdapterException {
        Path file = dir.resolve(FILE_NAME);
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new AdapterException(file, "larger than " + (MAX_BYTES >> 20) + " MiB, not an adapter config");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AdapterException(dir, "not a PEFT adapter folder: " + FILE_NAME + " is missing");
        } catch (AdapterException e) {
            throw e;
        } catch (IOException e) {
            throw new AdapterException(file, "cannot read: " + e.getMessage(), e);
        }
        JsonObject json;
        try {
            json = Json.parseObject(text);
        } catch (JsonException e) {
            throw new AdapterException(file, "invalid JSON: " + e.getMessage(), e);
        }
        String type = json.getString("peft_type")
                .orElseThrow(() -> new AdapterException(file, "no peft_type field"));
        PeftType peftType = PeftType.fromConfigName(type)
                .orElseThrow(() -> new AdapterException(file, "peft_type " + type
                        + " is not supported (supported: LORA, IA3, PREFIX_TUNING)"));
        return new AdapterConfig(file, json, peftType, json.getString("base_model_name_or_path"));
    }

    /** A string list field; a single string counts as a one-element list (PEFT allows both); null or absent is empty. */
    public List<String> stringList(String field) throws AdapterException {
        Optional<JsonValue> v = json.get(field);
        if (v.isEmpty() || v.get() instanceof JsonNull) {
            return List.of();
        }
        if (v.get() instanceof JsonString s) {
            return List.of(s.value());
        }
        if (v.get() instanceof JsonArray a) {
            List<String> out = new ArrayList<>();
            for (JsonValue e : a.elements()) {
                if (!(e instanceof JsonString s)) {
                    throw new AdapterException(file, field + " must hold strings, found " + e.typeName());
                }
                out.add(s.value());
            }
            return out;
        }
        throw new AdapterException(file, field + " must be a string or a list of strings, found " + v.get().typeName());
    }

    /** A required positive integer field. */
    public int positiveInt(String field) throws AdapterException {
        JsonValue v = json.get(field).orElseThrow(() -> new AdapterException(file, "no " + field + " field"));
        if (v instanceof io.extsub.safetensors.json.JsonNumber n && n.isIntegral()) {
            long x = n.longValueExact();
            if (x >= 1 && x <= Integer.MAX_VALUE) {
                return (int) x;
            }
        }
        throw new AdapterException(file, field + " must be a positive integer, found " + v);
    }

    public Optional<Integer> optionalPositiveInt(String field) throws AdapterException {
        Optional<JsonValue> v = json.get(field);
        if (v.isEmpty() || v.get() instanceof JsonNull) {
            return Optional.empty();
        }
        return Optional.of(positiveInt(field));
    }

    public boolean flag(String field) throws AdapterException {
        Optional<JsonValue> v = json.get(field);
        if (v.isEmpty() || v.get() instanceof JsonNull) {
            return false;
        }
        return json.getBoolean(field)
                .orElseThrow(() -> new AdapterException(file, field + " must be true or false, found " + v.get()));
    }
}
