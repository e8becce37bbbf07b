package io.extsub.peft;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One run: expert and anti-expert adapter folders, the output folder, the operation, an
 * optional output dtype (default: the expert's), whether a non-empty output folder may be
 * replaced, and an optional LoRA recompression.
 */
public record OperationRequest(Path expert, Path antiExpert, Path output, Operation operation,
        Optional<OutputDType> dtype, boolean force, Optional<RankLimit> rankLimit) {

    public OperationRequest {
        Objects.requireNonNull(expert, "expert");
        Objects.requireNonNull(antiExpert, "antiExpert");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(rankLimit, "rankLimit");
    }

    /** Expert dtype, no recompression, no force. */
    public static OperationRequest of(Path expert, Path antiExpert, Path output, Operation operation) {
        return new OperationRequest(expert, antiExpert, output, operation, Optional.empty(), false, Optional.empty());
    }
}
