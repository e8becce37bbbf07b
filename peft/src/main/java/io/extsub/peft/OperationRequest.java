package io.extsub.peft;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One run: expert and anti-expert adapter folders, the output folder, the operation, an
 * optional output dtype (default: the expert's), whether a non-empty output folder may be
 * replaced, an optional LoRA recompression, and optional names for the inputs in the output's
 * README.md (default: their absolute paths; {@code extsub demo} reads its bundled pair from a
 * temporary copy whose path would mean nothing afterwards).
 */
public record OperationRequest(Path expert, Path antiExpert, Path output, Operation operation,
        Optional<OutputDType> dtype, boolean force, Optional<RankLimit> rankLimit, Optional<InputLabels> inputLabels) {

    /** How the output's README.md names the expert and the anti-expert. */
    public record InputLabels(String expert, String antiExpert) {
        public InputLabels {
            Objects.requireNonNull(expert, "expert");
            Objects.requireNonNull(antiExpert, "antiExpert");
        }
    }

    public OperationRequest {
        Objects.requireNonNull(expert, "expert");
        Objects.requireNonNull(antiExpert, "antiExpert");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(rankLimit, "rankLimit");
        Objects.requireNonNull(inputLabels, "inputLabels");
    }

    /** A request whose README names the inputs by their paths. */
    public OperationRequest(Path expert, Path antiExpert, Path output, Operation operation,
            Optional<OutputDType> dtype, boolean force, Optional<RankLimit> rankLimit) {
        this(expert, antiExpert, output, operation, dtype, force, rankLimit, Optional.empty());
    }

    /** This request with the README naming the inputs {@code labels} instead of their paths. */
    public OperationRequest withInputLabels(InputLabels labels) {
        return new OperationRequest(expert, antiExpert, output, operation, dtype, force, rankLimit, Optional.of(labels));
    }

    /** Expert dtype, no recompression, no force. */
    public static OperationRequest of(Path expert, Path antiExpert, Path output, Operation operation) {
        return new OperationRequest(expert, antiExpert, output, operation, Optional.empty(), false, Optional.empty());
    }
}
