package io.extsub.peft;

import io.extsub.safetensors.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-module ranks written as a PEFT LoRA config whose scaling is exactly 1 everywhere: the
 * global r (= lora_alpha) is the most common rank, and every other module gets rank_pattern
 * and alpha_pattern entries equal to its rank, keyed by its full module name (dots escaped
 * when a name read as a regex would also match another module).
 *
 * @param r the global r and lora_alpha
 * @param pattern the rank_pattern, equal to the alpha_pattern, in module order
 */
public record UnitScaleRanks(int r, Map<String, Integer> pattern) {

    public UnitScaleRanks {
        pattern = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pattern));
    }

    /** @param ranks output rank per module name as in the model (without "base_model.model."), in order */
    public static UnitScaleRanks of(Map<String, Integer> ranks) {
        int r = mostCommon(ranks);
        Map<String, Integer> pattern = new LinkedHashMap<>();
        ranks.forEach((k, v) -> {
            if (v != r) {
                pattern.put(k, v);
            }
        });
        if (resolvesExactly(r, pattern, ranks)) {
            return new UnitScaleRanks(r, pattern);
        }
        Map<String, Integer> escaped = new LinkedHashMap<>();
        pattern.forEach((k, v) -> escaped.put(k.replace(".", "\\."), v));
        if (!resolvesExactly(r, escaped, ranks)) {
            throw new IllegalStateException("cannot express the per-module ranks as a PEFT rank_pattern");
        }
        return new UnitScaleRanks(r, escaped);
    }

    /** The rank_pattern (and the alpha_pattern, which has the same entries) as JSON. */
    public JsonObject patternJson() {
        JsonObject.Builder b = JsonObject.builder();
        pattern.forEach((k, v) -> b.put(k, (long) v));
        return b.build();
    }

    /** Checks with PEFT's matching rule ({@link LoraScaling}) that every module gets its rank and scaling 1. */
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

    /** The most frequent rank; ties go to the larger rank, and no modules gives 1. */
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
