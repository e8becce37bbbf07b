package io.extsub.peft;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Writes small synthetic F32 adapter folders for tests. */
final class TestAdapters {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TestAdapters() {}

    record T(String name, long[] shape, float[] data) {}

    static JsonObject loraConfig(int r, double alpha, String... targets) {
        return JsonObject.builder()
                .put("peft_type", "LORA")
                .put("base_model_name_or_path", "test/base")
                .put("r", r)
                .put("lora_alpha", alpha)
                .put("target_modules", new JsonArray(java.util.Arrays.stream(targets)
                        .<io.extsub.safetensors.json.JsonValue>map(JsonString::of).toList()))
                .put("task_type", "CAUSAL_LM")
                .build();
    }

    static T random(String name, SplittableRandom rnd, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return new T(name, shape, data);
    }

    /** A LoRA folder with linear modules named base_model.model.layers.{i}.{target} of out x in. */
    static Path lora(Path dir, JsonObject config, SplittableRandom rnd, int layers, int r, int out, int in, String... targets)
            throws IOException {
        List<T> ts = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (String t : targets) {
                String p = "base_model.model.layers." + l + "." + t;
                ts.add(random(p + ".lora_A.weight", rnd, r, in));
                ts.add(random(p + ".lora_B.weight", rnd, out, r));
            }
        }
        return write(dir, config, ts);
    }

    static Path write(Path dir, JsonObject config, List<T> tensors) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), Json.writePretty(config));
        Map<String, T> byName = new LinkedHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        for (T t : tensors) {
            byName.put(t.name(), t);
            specs.add(new TensorSpec(t.name(), DType.F32, t.shape()));
        }
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), specs, (spec, dst) -> {
            float[] d = byName.get(spec.name()).data();
            for (int i = 0; i < d.length; i++) {
                dst.set(F32, 4L * i, d[i]);
            }
        });
        return dir;
    }
}
