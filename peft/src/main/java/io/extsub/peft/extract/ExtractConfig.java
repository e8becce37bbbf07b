package io.extsub.peft.extract;

import io.extsub.peft.UnitScaleRanks;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNull;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import io.extsub.safetensors.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * adapter_config.json of an extracted LoRA, with PEFT's field set (as PEFT 0.9 writes it).
 * The scale is 1 everywhere: lora_alpha = r, and modules whose rank differs from the most
 * common one get rank_pattern and alpha_pattern entries equal to their rank.
 */
final class ExtractConfig {
    private ExtractConfig() {}

    static String json(String baseModel, List<String> targets, Map<String, Integer> ranks) {
        UnitScaleRanks u = UnitScaleRanks.of(ranks);
        List<JsonValue> tm = new ArrayList<>();
        for (String t : targets) {
            tm.add(JsonString.of(t));
        }
        JsonObject cfg = JsonObject.builder()
                .put("alpha_pattern", u.patternJson())
                .put("auto_mapping", JsonNull.INSTANCE)
                .put("base_model_name_or_path", baseModel)
                .put("bias", "none")
                .put("fan_in_fan_out", false)
                .put("inference_mode", true)
                .put("init_lora_weights", true)
                .put("layers_pattern", JsonNull.INSTANCE)
                .put("layers_to_transform", JsonNull.INSTANCE)
                .put("lora_alpha", (long) u.r())
                .put("lora_dropout", 0.0)
                .put("modules_to_save", JsonNull.INSTANCE)
                .put("peft_type", "LORA")
                .put("r", (long) u.r())
                .put("rank_pattern", u.patternJson())
                .put("revision", JsonNull.INSTANCE)
                .put("target_modules", new JsonArray(tm))
                .put("task_type", "CAUSAL_LM")
                .put("use_rslora", false)
                .build();
        return JsonWriter.PRETTY.write(cfg);
    }
}
