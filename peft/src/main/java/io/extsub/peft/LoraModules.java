package io.extsub.peft;

import io.extsub.safetensors.TensorView;
import java.nio.file.Path;

/** Validates one LoRA module's A and B against each other and the config. */
final class LoraModules {
    private LoraModules() {}

    static AdapterModule.Lora of(AdapterConfig config, LoraScaling scaling, Path weights, String prefix,
            TensorView a, TensorView b, boolean embedding) throws AdapterException {
        String aName = embedding ? "lora_embedding_A" : "lora_A";
        String bName = embedding ? "lora_embedding_B" : "lora_B";
        if (a == null || b == null) {
            throw new AdapterException(weights, "module " + prefix + " has " + (a == null ? bName : aName)
                    + " but no " + (a == null ? aName : bName));
        }
        AdapterLoader.checkFloat(weights, a);
        AdapterLoader.checkFloat(weights, b);
        String where = "module " + prefix + ": ";
        long rank = a.rank() >= 2 ? a.dim(0) : -1;
        LoraKind kind;
        long rows, cols;
        if (embedding) {
            // lora_embedding_A: (r, num_embeddings), lora_embedding_B: (embedding_dim, r).
            if (a.rank() != 2 || b.rank() != 2 || b.dim(1) != rank) {
                throw new AdapterException(weights, where + "lora_embedding_A " + a.shapeString() + " and lora_embedding_B "
                        + b.shapeString() + " do not form (dim x r)(r x num_embeddings)");
            }
            kind = LoraKind.EMBEDDING;
            rows = a.dim(1);
            cols = b.dim(0);
        } else if (a.rank() == 2) {
            if (b.rank() != 2 || b.dim(1) != rank) {
                throw new AdapterException(weights, where + "lora_A " + a.shapeString() + " and lora_B "
                        + b.shapeString() + " do not form (out x r)(r x in)");
            }
            kind = LoraKind.LINEAR;
            rows = b.dim(0);
            cols = a.dim(1);
        } else if (a.rank() >= 3) {
            // Conv: lora_A (r, in, k...), lora_B (out, r, 1...): PEFT's lora_B is a 1x1 convolution.
            boolean ok = b.rank() == a.rank() && b.dim(1) == rank;
            for (int i = 2; ok && i < b.rank(); i++) {
                ok = b.dim(i) == 1;
            }
            if (!ok) {
                throw new AdapterException(weights, where + "conv lora_A " + a.shapeString() + " and lora_B "
                        + b.shapeString() + " do not form a LoRA convolution (lora_B must be (out, r, 1, ...))");
            }
            kind = LoraKind.CONV;
            rows = b.dim(0);
            cols = a.elementCount() / Math.max(1, rank);
        } else {
            throw new AdapterException(weights, where + "lora_A has shape " + a.shapeString());
        }
        if (rank < 1 || rows < 1 || cols < 1) {
            throw new AdapterException(weights, where + "empty factors " + a.shapeString() + ", " + b.shapeString());
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rank > Integer.MAX_VALUE) {
            throw new AdapterException(weights, where + "too large");
        }
        String modelName = KeyName.modelName(prefix);
        int configRank = scaling.rankFor(modelName);
        if (configRank != rank) {
            throw new AdapterException(weights, where + aName + " has rank " + rank + " but "
                    + config.file().getFileName() + " gives r = " + configRank
                    + (scaling.rankPattern().isEmpty() ? "" : " (after rank_pattern)"));
        }
        return new AdapterModule.Lora(prefix, kind, a, b, (int) rank, (int) rows, (int) cols, scaling.scaleFor(modelName));
    }
}
