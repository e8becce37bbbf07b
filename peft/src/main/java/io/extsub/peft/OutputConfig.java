package io.extsub.peft;

import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adapter_config.json of a LoRA result: the expert's config with r, lora_alpha,
 * use_rslora, rank_pattern and alpha_pattern replaced. Every scaling is already folded into
 * lora_B, so the config makes PEFT's scaling exactly 1 for every module: lora_alpha = r
 * (use_rslora off, since alpha/sqrt(r) = 1 would need an irrational alpha), and modules whose
 * rank differs from the most common one get rank_pattern and alpha_pattern entries of their
 * own, keyed by their full module name.
 */
final class OutputConfig {
    private OutputConfig() {}

    /** @param ranks output rank per module name as in the model (without "base_model.model."), in order */
    static JsonObject lora(JsonObject expert, Map<String, Integer> ranks) {
        int r = mostCommon(ranks);
        Map<String, Integer> rankPattern = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            if (e.getValue() != r) {
                rankPattern.put(e.getKey(), e.getValue());
            }
        }
        if (!resolvesExactly(r, rankPattern, ranks)) {
            // A full name used as a regex matched some other module too: escape the dots.
            Map<String, Integer> escaped = new LinkedHashMap<>();
            rankPattern.forEach((k, v) -> escaped.put(k.replace(".", "\\."), v));
            rankPattern = escaped;
            if (!resolvesExactly(r, rankPattern, ranks)) {
                throw new IllegalStateException("cannot express the per-module ranks as a PEFT rank_pattern");
            }
        }
        JsonObject.Builder rp = JsonObject.builder();
        JsonObject.Builder ap = JsonObject.builder();
        rankPattern.forEach((k, v) -> {
            rp.put(k, (long) v);
            ap.put(k, (long) v);
        });
        return expert.with("r", (long) r)
                .with("lora_alpha", (long) r)
                .with("use_rslora", false)
                .with("rank_pattern", rp.build())
                .with("alpha_pattern", ap.build());
    }

    /** Checks with PEFT's matching rule that every module gets its rank and scaling 1. */
    private static boolean resolvesExactly(int r, Map<String, Integer> pattern, Map<String, Integer> ranks) {
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
        int best = 1, bestCount = 0;
        for (int v : ranks.values()) {
            int c = counts.merge(v, 1, Integer::sum);
            if (c > bestCount || (c == bestCount && v > best)) {
                best = v;
                bestCount = c;
            }
        }
        return best;
    }

    static JsonValue number(long v) {
        return JsonNumber.of(v);
    }
}
