package io.extsub.peft;

import java.util.List;

/** A tensor as stored in an adapter file: key, dtype name, shape. */
public record TensorInfo(String name, String dtype, List<Long> shape) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }
}
