package io.extsub.peft.extract;

import io.extsub.peft.LoraScaling;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNull;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import io.extsub.safetensors.json.JsonWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        int r = mostCommon(ranks);
        Map<String, Integer> pattern = new LinkedHashMap<>();
        ranks.forEach((k, v) -> {
            if (v != r) {
                pattern.put(k, v);
            }
        });
        if (!resolves(r, pattern, ranks)) {
            // A full name read as a regex can also match another module: escape the dots.
            Map<String, Integer> escaped = new LinkedHashMap<>();
            pattern.forEach((k, v) -> escaped.put(k.replace(".", "\\."), v));
            if (!resolves(r, escaped, ranks)) {
                throw new IllegalStateException("cannot express the per-module ranks as a PEFT rank_pattern");
            }
            pattern.clear();
            pattern.putAll(escaped);
        }
        JsonObject.Builder rp = JsonObject.builder();
        pattern.forEach((k, v) -> rp.put(k, (long) v));
        List<JsonValue> tm = new ArrayList<>();
        for (String t : targets) {
            tm.add(JsonString.of(t));
        }
        JsonObject cfg = JsonObject.builder()
                .put("alpha_pattern", rp.build())
                .put("auto_mapping", JsonNull.INSTANCE)
                .put("base_model_name_or_path", baseModel)
                .put("bias", "none")
                .put("fan_in_fan_out", false)
                .put("inference_mode", true)
                .put("init_lora_weights", true)
                .put("layers_pattern", JsonNull.INSTANCE)
                .put("layers_to_transform", JsonNull.INSTANCE)
                .put("lora_alpha", (long) r)
                .put("lora_dropout", 0.0)
                .put("modules_to_save", JsonNull.INSTANCE)
                .put("peft_type", "LORA")
                .put("r", (long) r)
                .put("rank_pattern", rp.build())
                .put("revision", JsonNull.INSTANCE)
                .put("target_modules", new JsonArray(tm))
                .put("task_type", "CAUSAL_LM")
                .put("use_rslora", false)
                .build();
        return JsonWriter.PRETTY.write(cfg);
    }

    /** Checks with PEFT's matching rule (as {@link LoraScaling} implements it) that every module gets its rank and scale 1. */
    private static boolean resolves(int r, Map<String, Integer> pattern, Map<String, Integer> ranks) {
        Map<String, Double> alphas = new LinkedHashMap<>();
        pattern.forEach((k, v) -> alphas.put(k, (double) v));
        LoraScaling s = new LoraScaling(r, r, false, pattern, alphas);
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            if (s.rankFor(e.getKey()) != e.getValue() || s.scaleFor(e.getKey()) != 1.0) {
                return false;
            }
        }
        return true;
    }

    private static int mostCommon(Map<String, Integer> ranks) {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = 1;
        int bestCount = 0;
        for (int v : ranks.values()) {
            int c = counts.merge(v, 1, Integer::sum);
            if (c > bestCount || (c == bestCount && v > best)) {
                best = v;
                bestCount = c;
            }
        }
        return best;
    }
}
