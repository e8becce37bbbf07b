package io.extsub.peft;

import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.torch.TorchBinFile;
import java.io.IOException;
import java.nio.file.Path;

/** Opens adapter_model.bin through safetensors-io's restricted (non-executing) torch reader. */
final class TorchBins {
    private TorchBins() {}

    static TensorSource open(Path file) throws IOException {
        return TorchBinFile.open(file);
    }
}
