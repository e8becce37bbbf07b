package io.extsub.peft;

import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and opens an adapter's weights as PEFT's {@code load_peft_weights} does:
 * adapter_model.safetensors when present, else adapter_model.bin (read by the restricted,
 * non-executing reader of safetensors-io).
 */
final class WeightFiles {
    static final String SAFETENSORS = "adapter_model.safetensors";
    static final String BIN = "adapter_model.bin";

    private WeightFiles() {}

    static Path locate(Path dir) throws AdapterException {
        Path st = dir.resolve(SAFETENSORS);
        if (Files.isRegularFile(st)) {
            return st;
        }
        Path bin = dir.resolve(BIN);
        if (Files.isRegularFile(bin)) {
            return bin;
        }
        throw new AdapterException(dir, "no adapter weights: neither " + SAFETENSORS + " nor " + BIN + " is there");
    }

    static TensorSource open(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".safetensors")) {
            return SafetensorsFile.open(file);
        }
        return TorchBins.open(file);
    }
}
