package io.extsub.peft.extract;

import io.extsub.peft.ProgressListener;
import io.extsub.safetensors.DType;
import java.nio.file.Path;
import java.util.List;

/**
 * A LoRA extraction from a full fine-tune: for every 2-D {@code <module>.weight} of
 * {@code tuned} whose module matches a target, factor tuned - base.
 *
 * @param base        folder with model.safetensors or a sharded index, or a .safetensors file
 * @param tuned       the same for the fine-tuned model
 * @param out         output folder (adapter_config.json + adapter_model.safetensors)
 * @param targets     module-name suffixes as PEFT's target_modules list, e.g. q_proj, v_proj
 * @param outputDType F32, F16 or BF16 for the factors; null keeps each tuned tensor's dtype
 * @param seed        seed of the randomized SVD sketches
 */
public record ExtractRequest(Path base, Path tuned, Path out, RankChoice rank, List<String> targets,
                             DType outputDType, long seed, boolean force, ProgressListener progress) {

    public ExtractRequest {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target modules");
        }
        if (outputDType != null && outputDType != DType.F32 && outputDType != DType.F16 && outputDType != DType.BF16) {
            throw new IllegalArgumentException("output dtype must be F32, F16 or BF16");
        }
    }
}
