package io.extsub.peft;

import io.extsub.engine.ElementType;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes the three files of a result folder into a (temporary) folder. */
final class AdapterWriter {
    static final String README = "README.md";

    private AdapterWriter() {}

    /** Fills computed tensor j (its index in the computed specs) into {@code dst}. */
    @FunctionalInterface
    interface ComputedTensors {
        void fill(int j, TensorSpec spec, MemorySegment dst) throws IOException;
    }

    /**
     * adapter_model.safetensors: the computed tensors ({@code computed}, in module order, their
     * bytes from {@code source}), then the expert's kept tensors unchanged.
     */
    static void weights(Path dir, List<TensorSpec> computed, ComputedTensors source, List<TensorView> kept)
            throws IOException {
        List<TensorSpec> specs = new ArrayList<>(computed);
        Map<String, Integer> computedIndex = HashMap.newHashMap(computed.size());
        Map<String, TensorView> copied = new HashMap<>();
        for (int j = 0; j < computed.size(); j++) {
            computedIndex.put(computed.get(j).name(), j);
        }
        for (TensorView v : kept) {
            specs.add(TensorSpec.of(v));
            copied.put(v.name(), v);
        }
        SafetensorsWriter.write(dir.resolve(WeightFiles.SAFETENSORS), specs, SafetensorsWriter.PT_METADATA, List.of(),
                (spec, dst) -> {
                    Integer j = computedIndex.get(spec.name());
                    if (j != null) {
                        source.fill(j, spec, dst);
                    } else {
                        MemorySegment src = copied.get(spec.name()).data();
                        MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
                    }
                });
    }

    static void config(Path dir, JsonObject config) throws IOException {
        Files.writeString(dir.resolve(AdapterConfig.FILE_NAME), Json.writePretty(config) + "\n", StandardCharsets.UTF_8);
    }

    /** The expert's config file byte for byte (IA3 and prefix results keep it unchanged). */
    static void copyConfig(Path dir, AdapterConfig expert) throws IOException {
        Files.copy(expert.file(), dir.resolve(AdapterConfig.FILE_NAME));
    }

    static void readme(Path dir, OperationRequest req, PeftType type, String dtype, int modules) throws IOException {
        Operation op = req.operation();
        String method = switch (op) {
            case Operation.ExtSub s -> "Ext-Sub (Hu et al. 2023, arXiv 2308.08090): per row, out = w1 - alpha*(w2 - p),"
                    + " p = the projection of w2 on the bisector of w1 and w2; closed form"
                    + " (1 + alpha*|w2|/(2|w1|)) w1 - (alpha/2) w2, on true deltas (each adapter's own scaling)";
            case Operation.Subtract s -> "subtraction: expert - alpha * anti-expert, on true deltas";
            case Operation.Add s -> "addition: expert + alpha * anti-expert, on true deltas";
        };
        String text = "# " + op.name() + " of two " + type.configName() + " adapters\n\n"
                + "Written by extsub " + version() + ".\n\n"
                + "- expert: " + req.inputLabels().map(OperationRequest.InputLabels::expert)
                        .orElseGet(() -> "`" + req.expert().toAbsolutePath().normalize() + "`") + "\n"
                + "- anti-expert: " + req.inputLabels().map(OperationRequest.InputLabels::antiExpert)
                        .orElseGet(() -> "`" + req.antiExpert().toAbsolutePath().normalize() + "`") + "\n"
                + "- method: " + method + "\n"
                + "- alpha: " + op.alpha() + "\n"
                + "- modules: " + modules + ", dtype " + dtype + "\n"
                + req.rankLimit().map(l -> "- recompressed: " + l + "\n").orElse("")
                + (type == PeftType.LORA
                        ? "\nThe result is an exact LoRA of rank r1+r2 per module with every scaling folded into lora_B;"
                                + " adapter_config.json sets lora_alpha = r so that PEFT's scaling is 1.\n"
                        : "");
        Files.writeString(dir.resolve(README), text, StandardCharsets.UTF_8);
    }

    static String version() {
        String v = AdapterWriter.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    static DType dtype(ElementType t) {
        return switch (t) {
            case F32 -> DType.F32;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
            case F64 -> DType.F64;
        };
    }
}
