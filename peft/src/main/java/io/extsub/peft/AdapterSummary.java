package io.extsub.peft;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an adapter folder holds, for {@code inspect}: type, weights file, the LoRA
 * hyper-parameters (empty for other types), targets, the module names found in the
 * weights with their PEFT scaling (LoRA), and every tensor.
 */
public record AdapterSummary(Path dir, PeftType peftType, Path weightsFile, Optional<String> baseModel,
        OptionalInt r, OptionalDouble loraAlpha, boolean useRslora, List<String> targetModules,
        Map<String, Double> moduleScaling, List<String> modulesToSave, List<TensorInfo> tensors) {

    public AdapterSummary {
        targetModules = List.copyOf(targetModules);
        moduleScaling = Map.copyOf(moduleScaling);
        modulesToSave = List.copyOf(modulesToSave);
        tensors = List.copyOf(tensors);
    }
}
