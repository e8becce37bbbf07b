package io.extsub.peft;

import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PEFT's LoRA scaling for each module: r and lora_alpha from rank_pattern / alpha_pattern
 * when a key matches (see {@link PatternKeys}), else the global ones; scaling is
 * {@code alpha / r}, or {@code alpha / sqrt(r)} with use_rslora (Kalajdzievski 2023), as in
 * peft/tuners/lora/layer.py {@code update_layer}.
 */
public record LoraScaling(int r, double loraAlpha, boolean useRslora, Map<String, Integer> rankPattern,
        Map<String, Double> alphaPattern) {

    public LoraScaling {
        rankPattern = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
        alphaPattern = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alphaPattern));
    }

    public static LoraScaling of(AdapterConfig config) throws AdapterException {
        int r = config.positiveInt("r");
        double alpha = config.json().getNumber("lora_alpha").orElse(8); // PEFT's default lora_alpha
        if (!Double.isFinite(alpha)) {
            throw new AdapterException(config.file(), "lora_alpha must be a finite number");
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : patterns(config, "rank_pattern").members().entrySet()) {
            if (!(e.getValue() instanceof JsonNumber n) || !n.isIntegral() || n.longValueExact() < 1
                    || n.longValueExact() > Integer.MAX_VALUE) {
                throw new AdapterException(config.file(), "rank_pattern[" + e.getKey() + "] must be a positive integer");
            }
            ranks.put(e.getKey(), (int) n.longValueExact());
        }
        Map<String, Double> alphas = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : patterns(config, "alpha_pattern").members().entrySet()) {
            if (!(e.getValue() instanceof JsonNumber n) || !Double.isFinite(n.doubleValue())) {
                throw new AdapterException(config.file(), "alpha_pattern[" + e.getKey() + "] must be a number");
            }
            alphas.put(e.getKey(), n.doubleValue());
        }
        return new LoraScaling(r, alpha, config.flag("use_rslora"), ranks, alphas);
    }

    private static JsonObject patterns(AdapterConfig config, String field) throws AdapterException {
        var v = config.json().get(field);
        if (v.isEmpty() || v.get() instanceof io.extsub.safetensors.json.JsonNull) {
            return JsonObject.EMPTY;
        }
        if (v.get() instanceof JsonObject o) {
            return o;
        }
        throw new AdapterException(config.file(), field + " must be an object, found " + v.get().typeName());
    }

    /** The rank PEFT gives this module (module name as in the model, without "base_model.model."). */
    public int rankFor(String module) {
        return PatternKeys.lookup(rankPattern, module).orElse(r);
    }

    public double alphaFor(String module) {
        return PatternKeys.lookup(alphaPattern, module).orElse(loraAlpha);
    }

    /** PEFT's scaling of this module's B A. */
    public double scaleFor(String module) {
        int rank = rankFor(module);
        double alpha = alphaFor(module);
        return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
