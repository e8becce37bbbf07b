package io.extsub.peft;

import io.extsub.safetensors.json.JsonObject;
import java.util.Map;

/**
 * The adapter_config.json of a LoRA result: the expert's config with r, lora_alpha,
 * use_rslora, rank_pattern and alpha_pattern replaced. Every scaling is already folded into
 * lora_B, so the config makes PEFT's scaling exactly 1 for every module: lora_alpha = r
 * (use_rslora off, since alpha/sqrt(r) = 1 would need an irrational alpha), and modules whose
 * rank differs from the most common one get rank_pattern and alpha_pattern entries of their
 * own, keyed by their full module name (see {@link UnitScaleRanks}).
 */
final class OutputConfig {
    private OutputConfig() {}

    /** @param ranks output rank per module name as in the model (without "base_model.model."), in order */
    static JsonObject lora(JsonObject expert, Map<String, Integer> ranks) {
        UnitScaleRanks u = UnitScaleRanks.of(ranks);
        return expert.with("r", (long) u.r())
                .with("lora_alpha", (long) u.r())
                .with("use_rslora", false)
                .with("rank_pattern", u.patternJson())
                .with("alpha_pattern", u.patternJson());
    }
}
