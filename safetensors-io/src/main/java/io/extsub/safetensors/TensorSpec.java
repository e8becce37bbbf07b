package io.extsub.safetensors;

import java.util.Arrays;
import java.util.Objects;

/** Name, dtype and shape of a tensor to write; its byte size follows from them. */
public record TensorSpec(String name, DType dtype, long[] shape) {

    /**
     * @throws IllegalArgumentException for a negative dimension, a size that overflows, or a
     *         sub-byte dtype whose elements do not fill whole bytes
     */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in " + Arrays.toString(shape));
            }
        }
        try {
            if (dtype.byteSize(count(shape)) < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": " + count(shape) + " elements of " + dtype
                        + " do not fill whole bytes");
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " is too large");
        }
    }

    public static TensorSpec of(TensorView view) {
        return new TensorSpec(view.name(), view.dtype(), view.shape());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return count(shape);
    }

    public long byteSize() {
        return dtype.byteSize(count(shape));
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
