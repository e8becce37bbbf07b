package io.extsub.peft;

import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorView;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An opened adapter folder: its config, its weights (mapped; views die with
 * {@link #close()}), its modules by state-dict prefix in file order, and the tensors that
 * belong to no module (modules_to_save and the like).
 */
public record LoadedAdapter(Path dir, AdapterConfig config, Path weightsFile, TensorSource source,
        Map<String, AdapterModule> modules, List<TensorView> otherTensors) implements AutoCloseable {

    public PeftType peftType() {
        return config.peftType();
    }

    @Override
    public void close() {
        source.close();
    }
}
