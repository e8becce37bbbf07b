package io.extsub.safetensors;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only set of named tensors backed by mapped files: a safetensors file, a sharded
 * safetensors checkpoint, or a PyTorch {@code .bin} zip. Closing unmaps every segment
 * handed out, so views must not be used after {@link #close()}.
 */
public interface TensorSource extends AutoCloseable {

    /** The file (or index file) this source was opened from; error messages name it. */
    Path path();

    /** Tensors in file order. */
    List<TensorView> tensors();

    /** The {@code __metadata__} map (empty when absent or for formats without one). */
    Map<String, String> metadata();

    default Optional<TensorView> find(String name) {
        for (TensorView t : tensors()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    void close();
}
