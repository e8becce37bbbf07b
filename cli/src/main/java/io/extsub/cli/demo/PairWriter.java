package io.extsub.cli.demo;

import io.extsub.engine.ElementType;
import io.extsub.peft.Decode;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNull;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a generated pair as two PEFT LoRA adapter folders ({@code adapter_config.json} +
 * {@code adapter_model.safetensors}, key names as PEFT saves them for LLaMA), one module at a
 * time, so memory stays at one module's factors whatever the model size.
 */
public final class PairWriter {
    private PairWriter() {}

    public static final String EXPERT = "expert";
    public static final String ANTI_EXPERT = "anti_expert";

    /** Writes {@code dir/expert} and {@code dir/anti_expert}; {@code dir} is created if needed. */
    public static void write(PairSpec spec, Path dir, DType dtype) throws IOException {
        writeAdapter(spec, dir.resolve(EXPERT), dtype, true);
        writeAdapter(spec, dir.resolve(ANTI_EXPERT), dtype, false);
    }

    public static void writeAdapter(PairSpec spec, Path dir, DType dtype, boolean expert) throws IOException {
        ElementType type = switch (dtype) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            default -> throw new IllegalArgumentException("dtype must be F32, F16 or BF16: " + dtype);
        };
        Files.createDirectories(dir);
        List<TensorSpec> specs = new ArrayList<>();
        for (int layer = 0; layer < spec.layers(); layer++) {
            for (PairSpec.ModuleShape m : spec.modules()) {
                String prefix = PairSpec.modulePrefix(layer, m.name());
                specs.add(new TensorSpec(prefix + ".lora_A.weight", dtype, new long[] {spec.rank(), m.in()}));
                specs.add(new TensorSpec(prefix + ".lora_B.weight", dtype, new long[] {m.out(), spec.rank()}));
            }
        }
        int perLayer = spec.modules().size();
        ModuleFactors[] last = new ModuleFactors[1];
        int[] index = {0};
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), specs, (ts, dst) -> {
            int module = index[0]++ / 2;
            int layer = module / perLayer;
            int which = module % perLayer;
            String prefix = PairSpec.modulePrefix(layer, spec.modules().get(which).name());
            if (last[0] == null || !last[0].prefix().equals(prefix)) {
                last[0] = LoraPairGenerator.module(spec, layer, which);
            }
            ModuleFactors f = last[0];
            boolean isA = ts.name().endsWith(".lora_A.weight");
            float[] src = expert ? (isA ? f.a1() : f.b1()) : (isA ? f.a2() : f.b2());
            Decode.store(src, dst, type);
        });
        Files.writeString(dir.resolve("adapter_config.json"), Json.writePretty(config(spec, expert)) + "\n",
                StandardCharsets.UTF_8);
    }

    /** adapter_config.json as PEFT writes it for a LLaMA LoRA (same fields as the golden inputs). */
    static JsonObject config(PairSpec spec, boolean expert) {
        double alpha = expert ? spec.expertAlpha() : spec.antiAlpha();
        List<JsonValue> targets = new ArrayList<>();
        for (PairSpec.ModuleShape m : spec.modules()) {
            targets.add(JsonString.of(m.name()));
        }
        JsonObject.Builder b = JsonObject.builder()
                .put("alpha_pattern", JsonObject.EMPTY)
                .put("auto_mapping", JsonNull.INSTANCE)
                .put("base_model_name_or_path", spec.baseModel())
                .put("bias", "none")
                .put("fan_in_fan_out", false)
                .put("inference_mode", true)
                .put("init_lora_weights", true)
                .put("layers_pattern", JsonNull.INSTANCE)
                .put("layers_to_transform", JsonNull.INSTANCE);
        if (alpha == Math.rint(alpha)) {
            b.put("lora_alpha", (long) alpha);
        } else {
            b.put("lora_alpha", alpha);
        }
        return b.put("lora_dropout", 0.05)
                .put("modules_to_save", JsonNull.INSTANCE)
                .put("peft_type", "LORA")
                .put("r", spec.rank())
                .put("rank_pattern", JsonObject.EMPTY)
                .put("revision", JsonNull.INSTANCE)
                .put("target_modules", new JsonArray(targets))
                .put("task_type", "CAUSAL_LM")
                .put("use_rslora", false)
                .build();
    }
}
