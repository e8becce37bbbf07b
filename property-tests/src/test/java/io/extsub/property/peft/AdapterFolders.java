package io.extsub.property.peft;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonException;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Test-side adapter folder I/O (F32) and PEFT's scaling rule, written from PEFT's source, not from ours. */
final class AdapterFolders {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private AdapterFolders() {}

    record Tensor(long[] shape, float[] data) {}

    static void write(Path dir, JsonObject config, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), Json.writePretty(config));
        List<TensorSpec> specs = new ArrayList<>();
        tensors.forEach((k, t) -> specs.add(new TensorSpec(k, DType.F32, t.shape())));
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), specs, (spec, dst) -> {
            float[] d = tensors.get(spec.name()).data();
            for (int i = 0; i < d.length; i++) {
                dst.set(F32, 4L * i, d[i]);
            }
        });
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorView t : f.tensors()) {
                if (t.dtype() != DType.F32) {
                    throw new IOException("test reads F32 only: " + t);
                }
                float[] d = new float[Math.toIntExact(t.elementCount())];
                for (int i = 0; i < d.length; i++) {
                    d[i] = t.data().get(F32, 4L * i);
                }
                out.put(t.name(), new Tensor(t.shape(), d));
            }
        }
        return out;
    }

    static JsonObject config(Path dir) throws IOException {
        try {
            return Json.parseObject(Files.readString(dir.resolve("adapter_config.json")));
        } catch (JsonException e) {
            throw new IOException(e);
        }
    }

    /**
     * PEFT (tuners/lora/model.py, utils/other.py get_pattern_key): first pattern key k, in
     * order, with re.match(rf"(.*\.)?({k})$", name); r / lora_alpha otherwise; scaling
     * alpha/r or alpha/sqrt(r) (use_rslora).
     */
    static double scaling(JsonObject config, String moduleName) {
        double r = patternValue(config, "rank_pattern", moduleName).orElse(config.getNumber("r").orElseThrow());
        double alpha = patternValue(config, "alpha_pattern", moduleName).orElse(config.getNumber("lora_alpha").orElseThrow());
        return config.getBoolean("use_rslora").orElse(false) ? alpha / Math.sqrt(r) : alpha / r;
    }

    static int rank(JsonObject config, String moduleName) {
        return (int) patternValue(config, "rank_pattern", moduleName).orElse(config.getNumber("r").orElseThrow());
    }

    private static java.util.OptionalDouble patternValue(JsonObject config, String field, String name) {
        var patterns = config.getObject(field);
        if (patterns.isEmpty()) {
            return java.util.OptionalDouble.empty();
        }
        for (Map.Entry<String, JsonValue> e : patterns.get().members().entrySet()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")$").matcher(name).matches()) {
                return java.util.OptionalDouble.of(((io.extsub.safetensors.json.JsonNumber) e.getValue()).doubleValue());
            }
        }
        return java.util.OptionalDouble.empty();
    }
}
