package io.extsub.peft;

import io.extsub.engine.extsub.DegenerateRows;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What happened to one module. {@code kind} is "linear", "embedding", "conv", "ia3" or
 * "prefix"; {@code shape} is the delta's shape (LoRA: out x in as the rows are taken, see
 * docs/algorithm.md) or the tensor's shape (IA3, prefix). Ranks are 0 for IA3 and prefix.
 * {@code relativeError} is present when the result was recompressed (||dropped||_F / ||exact||_F).
 */
public record ModuleReport(String module, String kind, List<Long> shape, int expertRank, int antiRank,
        int outputRank, DegenerateRows degenerate, OptionalDouble relativeError) {

    public ModuleReport {
        shape = List.copyOf(shape);
    }
}
