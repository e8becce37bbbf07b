package io.extsub.peft;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an adapter folder and groups its tensors into modules by PEFT's key names:
 * {@code <prefix>.lora_A.weight} / {@code lora_B.weight} (also with an adapter name,
 * {@code lora_A.default.weight}), {@code lora_embedding_A/B}, {@code <prefix>.ia3_l.weight},
 * and {@code prompt_embeddings}. Checks every module against the config (rank, shapes) so
 * that the arithmetic never meets an inconsistent module.
 */
public final class AdapterLoader {
    static final String MODEL_PREFIX = "base_model.model.";

    private AdapterLoader() {}

    public static LoadedAdapter load(Path dir) throws IOException {
        AdapterConfig config = AdapterConfig.read(dir);
        if (config.peftType() == PeftType.LORA && config.flag("use_dora")) {
            throw new AdapterException(config.file(), "DoRA adapters (use_dora: true) are not supported: "
                    + "Ext-Sub is defined for plain low-rank deltas, not for magnitude-normalized ones");
        }
        Path weights = WeightFiles.locate(dir);
        TensorSource source = WeightFiles.open(weights);
        try {
            return group(dir, config, weights, source);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private static LoadedAdapter group(Path dir, AdapterConfig config, Path weights, TensorSource source)
            throws AdapterException {
        Map<String, TensorView[]> lora = new LinkedHashMap<>(); // prefix -> {A, B}
        Map<String, Boolean> embedding = new LinkedHashMap<>();
        Map<String, AdapterModule> modules = new LinkedHashMap<>();
        List<TensorView> others = new ArrayList<>();
        for (TensorView t : source.tensors()) {
            KeyName k = KeyName.parse(t.name());
            switch (k.part()) {
                case "lora_magnitude_vector" -> throw new AdapterException(weights, "tensor " + t.name()
                        + " is a DoRA magnitude vector: DoRA adapters are not supported (Ext-Sub is defined for plain low-rank deltas)");
                case "lora_A", "lora_B", "lora_embedding_A", "lora_embedding_B" -> {
                    requireType(config, PeftType.LORA, weights, t);
                    if (k.bias()) {
                        throw new AdapterException(weights, "tensor " + t.name()
                                + " is a LoRA bias (lora_bias: true), which Ext-Sub does not define; not supported");
                    }
                    boolean emb = k.part().startsWith("lora_embedding");
                    Boolean prev = embedding.put(k.prefix(), emb);
                    if (prev != null && prev != emb) {
                        throw new AdapterException(weights, "module " + k.prefix() + " mixes lora_A/B and lora_embedding_A/B tensors");
                    }
                    TensorView[] ab = lora.computeIfAbsent(k.prefix(), p -> new TensorView[2]);
                    int slot = k.part().endsWith("A") ? 0 : 1;
                    if (ab[slot] != null) {
                        throw new AdapterException(weights, "module " + k.prefix() + " has two " + k.part() + " tensors");
                    }
                    ab[slot] = t;
                }
                case "ia3_l" -> {
                    requireType(config, PeftType.IA3, weights, t);
                    checkFloat(weights, t);
                    if (t.rank() != 2 || (t.dim(0) != 1 && t.dim(1) != 1)) {
                        throw new AdapterException(weights, "IA3 vector " + t.name() + " has shape " + t.shapeString()
                                + ", expected (out, 1) or (1, in)");
                    }
                    put(modules, weights, new AdapterModule.Ia3(k.prefix(), t));
                }
                case "prompt_embeddings" -> {
                    requireType(config, PeftType.PREFIX_TUNING, weights, t);
                    put(modules, weights, prefix(config, weights, t));
                }
                default -> others.add(t);
            }
        }
        if (!lora.isEmpty()) {
            LoraScaling scaling = LoraScaling.of(config);
            for (Map.Entry<String, TensorView[]> e : lora.entrySet()) {
                put(modules, weights, LoraModules.of(config, scaling, weights, e.getKey(), e.getValue()[0],
                        e.getValue()[1], embedding.get(e.getKey())));
            }
        }
        if (modules.isEmpty()) {
            throw new AdapterException(weights, "no " + config.peftType().configName()
                    + " tensors found (keys like " + example(config.peftType()) + ")");
        }
        return new LoadedAdapter(dir, config, weights, source, modules, others);
    }

    private static String example(PeftType t) {
        return switch (t) {
            case LORA -> MODEL_PREFIX + "<module>.lora_A.weight";
            case IA3 -> MODEL_PREFIX + "<module>.ia3_l.weight";
            case PREFIX_TUNING -> "prompt_embeddings";
        };
    }

    private static void put(Map<String, AdapterModule> modules, Path weights, AdapterModule m) throws AdapterException {
        if (modules.putIfAbsent(m.key(), m) != null) {
            throw new AdapterException(weights, "module " + m.key() + " appears twice");
        }
    }

    private static void requireType(AdapterConfig config, PeftType want, Path weights, TensorView t)
            throws AdapterException {
        if (config.peftType() != want) {
            throw new AdapterException(weights, "tensor " + t.name() + " is a " + want.configName()
                    + " tensor but " + config.file().getFileName() + " says peft_type " + config.peftType().configName());
        }
    }

    static void checkFloat(Path weights, TensorView t) throws AdapterException {
        if (t.dtype() != DType.F32 && t.dtype() != DType.F16 && t.dtype() != DType.BF16 && t.dtype() != DType.F64) {
            throw new AdapterException(weights, "tensor " + t.name() + " has dtype " + t.dtype()
                    + "; only F32, F16, BF16 and F64 adapters are supported");
        }
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new AdapterException(weights, "tensor " + t.name() + " is too large (" + t.elementCount() + " elements)");
        }
    }

    private static AdapterModule.Prefix prefix(AdapterConfig config, Path weights, TensorView t) throws AdapterException {
        checkFloat(weights, t);
        PrefixGeometry g = PrefixGeometry.of(config);
        long[] want = g.expectedShape();
        if (t.rank() != 2 || t.dim(0) != want[0] || t.dim(1) != want[1]) {
            throw new AdapterException(weights, "prompt_embeddings has shape " + t.shapeString() + " but "
                    + config.file().getFileName() + " gives num_virtual_tokens * num_transformer_submodules = " + want[0]
                    + " and num_layers * 2 * token_dim = " + g.layers() + " * 2 * " + g.tokenDim() + " = " + want[1]);
        }
        return new AdapterModule.Prefix(t.name(), t, g);
    }
}
