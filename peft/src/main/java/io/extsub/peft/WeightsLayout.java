package io.extsub.peft;

import io.extsub.safetensors.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The computed tensors of the output file in write order (module by module, each module's
 * tensors in the order {@link ModuleOperations} makes them) and which module makes each. Known
 * before computing unless the run recompresses (then the ranks come from the results).
 */
final class WeightsLayout {
    private final List<TensorSpec> specs;
    private final int[] module;
    private final int[] position;

    private WeightsLayout(List<TensorSpec> specs, int[] module, int[] position) {
        this.specs = specs;
        this.module = module;
        this.position = position;
    }

    static WeightsLayout of(List<ModulePair> pairs, OperationRequest req, ModuleStream results) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        for (int m = 0; m < pairs.size(); m++) {
            List<TensorSpec> mine = req.rankLimit().isEmpty()
                    ? ModuleOperations.plannedTensors(pairs.get(m), req.dtype())
                    : results.take(m).tensors().stream()
                            .map(t -> new TensorSpec(t.name(), AdapterWriter.dtype(t.type()), t.shape())).toList();
            for (int p = 0; p < mine.size(); p++) {
                specs.add(mine.get(p));
                owners.add(new int[] {m, p});
            }
        }
        int[] module = new int[specs.size()], position = new int[specs.size()];
        for (int j = 0; j < specs.size(); j++) {
            module[j] = owners.get(j)[0];
            position[j] = owners.get(j)[1];
        }
        return new WeightsLayout(List.copyOf(specs), module, position);
    }

    List<TensorSpec> specs() {
        return specs;
    }

    /** The module that makes tensor j. */
    int module(int j) {
        return module[j];
    }

    /** Tensor j's index among its module's tensors. */
    int position(int j) {
        return position[j];
    }

    /** The dtype name of the first computed tensor, if any. */
    Optional<String> firstDType() {
        return specs.isEmpty() ? Optional.empty() : Optional.of(specs.getFirst().dtype().name());
    }

    /** Tensor j as computed must be what the file's header announced. */
    void check(int j, OutputTensor t) {
        TensorSpec s = specs.get(j);
        if (!s.name().equals(t.name()) || !Arrays.equals(s.shape(), t.shape()) || s.dtype() != AdapterWriter.dtype(t.type())
                || t.data().length != Math.toIntExact(s.elementCount())) {
            throw new IllegalStateException("internal: the output layout planned " + s.name() + " " + Arrays.toString(s.shape())
                    + " " + s.dtype() + " but the module made " + t.name() + " " + Arrays.toString(t.shape()) + " " + t.type());
        }
    }
}
