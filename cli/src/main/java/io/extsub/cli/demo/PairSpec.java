package io.extsub.cli.demo;

import java.util.List;
import java.util.Objects;

/**
 * What {@link LoraPairGenerator} makes: an expert and an anti-expert LoRA adapter for a
 * LLaMA-style model, both targeting {@code modules} in each of {@code layers} decoder layers.
 *
 * @param layers      decoder layers (keys {@code base_model.model.model.layers.<i>.self_attn.<module>})
 * @param modules     target modules with their (out, in) shapes, e.g. q_proj 4096x4096
 * @param rank        LoRA rank r of both adapters
 * @param expertAlpha lora_alpha of the expert
 * @param antiAlpha   lora_alpha of the anti-expert (may differ: the scalings then differ)
 * @param seed        everything is a function of this seed
 * @param baseModel   base_model_name_or_path written into both configs
 */
public record PairSpec(int layers, List<ModuleShape> modules, int rank, double expertAlpha, double antiAlpha,
                       long seed, String baseModel) {

    /** One target module of every layer: rows of B A are {@code out} features, columns {@code in}. */
    public record ModuleShape(String name, int out, int in) {
        public ModuleShape {
            Objects.requireNonNull(name);
            if (out <= 0 || in <= 0) {
                throw new IllegalArgumentException("module " + name + ": shape must be positive: " + out + "x" + in);
            }
        }
    }

    public PairSpec {
        modules = List.copyOf(modules);
        if (layers <= 0 || rank <= 0 || modules.isEmpty()) {
            throw new IllegalArgumentException("layers, rank and modules must be positive / non-empty");
        }
        for (ModuleShape m : modules) {
            if (rank > Math.min(m.out(), m.in())) {
                throw new IllegalArgumentException("rank " + rank + " exceeds module " + m.name() + " " + m.out() + "x" + m.in());
            }
        }
    }

    /** The pair bundled with the CLI for {@code extsub demo}: 4 layers, q_proj/v_proj 256x256, r 8. */
    public static PairSpec demo() {
        return new PairSpec(4, List.of(new ModuleShape("q_proj", 256, 256), new ModuleShape("v_proj", 256, 256)),
                8, 16, 16, 20231115L, "synthetic/llama-demo-256");
    }

    /** LLaMA-7B-shaped pair of issue 3 "Numbers": 32 layers, q_proj and v_proj 4096x4096, r 16. */
    public static PairSpec llama7b() {
        return new PairSpec(32, List.of(new ModuleShape("q_proj", 4096, 4096), new ModuleShape("v_proj", 4096, 4096)),
                16, 32, 32, 7L, "synthetic/llama-7b-shaped");
    }

    /** LLaMA-70B-shaped pair: 80 layers, q_proj 8192x8192, v_proj 8192->1024 (grouped-query attention), r 16. */
    public static PairSpec llama70b() {
        return new PairSpec(80, List.of(new ModuleShape("q_proj", 8192, 8192), new ModuleShape("v_proj", 1024, 8192)),
                16, 32, 32, 70L, "synthetic/llama-70b-shaped");
    }

    /** PEFT's key prefix of a module in layer {@code layer}. */
    public static String modulePrefix(int layer, String module) {
        return "base_model.model.model.layers." + layer + ".self_attn." + module;
    }
}
