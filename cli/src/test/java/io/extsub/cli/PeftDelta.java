package io.extsub.cli;

import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Test-side reading of an adapter folder as PEFT would use it: the effective delta
 * {@code scaling * B A} of a module in float64, with PEFT's scaling rule written out here
 * independently of the peft module (lora_alpha / r, or / sqrt(r) with use_rslora;
 * rank_pattern / alpha_pattern keys matched like PEFT's {@code get_pattern_key}:
 * {@code (.*\.)?KEY$} against the module name).
 */
final class PeftDelta {
    private PeftDelta() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The delta of {@code module} (e.g. "base_model.model.model.layers.0.self_attn.q_proj"), out x in, row-major. */
    static double[][] delta(Path dir, String module) throws Exception {
        JsonObject cfg = Json.parseObject(Files.readString(dir.resolve("adapter_config.json"), StandardCharsets.UTF_8));
        String name = module.startsWith("base_model.model.") ? module.substring("base_model.model.".length()) : module;
        double r = cfg.getNumber("r").orElseThrow();
        double alpha = cfg.getNumber("lora_alpha").orElseThrow();
        Double rp = pattern(cfg.getObject("rank_pattern").orElse(JsonObject.EMPTY), name);
        Double ap = pattern(cfg.getObject("alpha_pattern").orElse(JsonObject.EMPTY), name);
        if (rp != null) {
            r = rp;
        }
        if (ap != null) {
            alpha = ap;
        }
        double scale = cfg.getBoolean("use_rslora").orElse(false) ? alpha / Math.sqrt(r) : alpha / r;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("adapter_model.safetensors"))) {
            TensorView a = f.find(module + ".lora_A.weight").orElseThrow();
            TensorView b = f.find(module + ".lora_B.weight").orElseThrow();
            int rank = (int) a.dim(0);
            int in = (int) a.dim(1);
            int out = (int) b.dim(0);
            if (b.dim(1) != rank || rank != (int) r) {
                throw new AssertionError(module + ": lora_B " + b.shapeString() + " vs lora_A " + a.shapeString() + ", r " + r);
            }
            double[][] w = new double[out][in];
            for (int i = 0; i < out; i++) {
                for (int p = 0; p < rank; p++) {
                    double bip = scale * read(b, (long) i * rank + p);
                    for (int j = 0; j < in; j++) {
                        w[i][j] += bip * read(a, (long) p * in + j);
                    }
                }
            }
            return w;
        }
    }

    private static Double pattern(JsonObject patterns, String name) {
        for (Map.Entry<String, JsonValue> e : patterns.members().entrySet()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")$").matcher(name).matches()) {
                return ((io.extsub.safetensors.json.JsonNumber) e.getValue()).doubleValue();
            }
        }
        return null;
    }

    static float read(TensorView t, long index) {
        if (t.dtype() != io.extsub.safetensors.DType.F32) {
            throw new AssertionError("test reads F32 only, got " + t.dtype());
        }
        return t.data().get(F32, index * 4);
    }
}
