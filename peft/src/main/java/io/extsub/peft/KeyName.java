package io.extsub.peft;

/**
 * A state-dict key split into module prefix and PEFT part: for
 * {@code base_model.model.x.q_proj.lora_A.default.weight}, prefix
 * {@code base_model.model.x.q_proj}, part {@code lora_A}, adapter name {@code default}.
 * Keys that are not PEFT parts get part "".
 */
record KeyName(String prefix, String part, boolean bias) {
    private static final String[] PARTS = {
        "lora_embedding_A", "lora_embedding_B", "lora_magnitude_vector", "lora_A", "lora_B", "ia3_l"
    };

    static KeyName parse(String key) {
        if (key.equals("prompt_embeddings") || key.endsWith(".prompt_embeddings")) {
            return new KeyName(key, "prompt_embeddings", false);
        }
        for (String part : PARTS) {
            String marker = "." + part;
            int at = key.lastIndexOf(marker);
            if (at <= 0) {
                continue;
            }
            String rest = key.substring(at + marker.length());
            // rest: "", ".weight", ".bias", ".<adapter>", ".<adapter>.weight", ".<adapter>.bias"
            if (!rest.isEmpty() && !rest.startsWith(".")) {
                continue;
            }
            String[] bits = rest.isEmpty() ? new String[0] : rest.substring(1).split("\\.", -1);
            if (bits.length > 2) {
                continue;
            }
            String last = bits.length == 0 ? "" : bits[bits.length - 1];
            return new KeyName(key.substring(0, at), part, last.equals("bias"));
        }
        return new KeyName(key, "", false);
    }

    /** The module's name in the model (what rank_pattern keys are matched against). */
    static String modelName(String prefix) {
        return prefix.startsWith(AdapterLoader.MODEL_PREFIX) ? prefix.substring(AdapterLoader.MODEL_PREFIX.length()) : prefix;
    }
}
