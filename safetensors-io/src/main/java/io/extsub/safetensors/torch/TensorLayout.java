package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.torch.PyValue.PyTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Turns a strided view of a storage (torch's {@code as_strided(size, stride, storage_offset)})
 * into the row-major bytes a {@link io.extsub.safetensors.TensorView} holds.
 *
 * <p>A C-contiguous view is a slice of the mapped storage: nothing copied, and tensors that
 * share a storage share memory. Any other view (a transpose, a column slice) is gathered
 * into a fresh segment of the file's arena, as {@code tensor.contiguous()} would; that copy
 * is never larger than its storage, and all copies of one file together are capped, so a
 * small file cannot make us allocate much (an expanded, stride-0 view that is larger than
 * its storage is refused instead).
 */
final class TensorLayout {
    private final Path file;
    private final Arena arena;
    private long materializeBudget;

    TensorLayout(Path file, Arena arena, long materializeBudget) {
        this.file = file;
        this.arena = arena;
        this.materializeBudget = materializeBudget;
    }

    MemorySegment bytes(String name, PyTensor t) throws TensorFormatException {
        long[] shape = t.shape();
        long[] stride = t.stride();
        long storageElements = t.storage().elements();
        long item = t.storage().dtype().bits() / 8;
        try {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            if (t.offset() > storageElements) {
                throw fail(name, "starts at element " + t.offset() + " of a storage of " + storageElements);
            }
            if (count == 0) {
                return t.storage().bytes().asSlice(0, 0);
            }
            long last = t.offset();
            for (int i = 0; i < shape.length; i++) {
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
            }
            if (last >= storageElements) {
                throw fail(name, "reads element " + last + " of storage " + StoredZipReader.quote(t.storage().key())
                        + ", which has " + storageElements + " elements");
            }
            long bytes = Math.multiplyExact(count, item);
            if (isContiguous(shape, stride)) {
                return t.storage().bytes().asSlice(t.offset() * item, bytes);
            }
            if (count > storageElements) {
                throw fail(name, "is an expanded view (" + count + " elements over a storage of "
                        + storageElements + "); save tensor.contiguous() instead");
            }
            if (bytes > materializeBudget) {
                throw fail(name, "is not contiguous and copying it would exceed the limit for copied tensors");
            }
            materializeBudget -= bytes;
            return gather(t, shape, stride, item, count);
        } catch (ArithmeticException e) {
            throw fail(name, "has a shape or strides whose size overflows");
        }
    }

    /** Row-major: each dimension of size > 1 has the stride of the product of the ones after it. */
    static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Copies element by element in row-major order (runs of the last dimension when it is dense). */
    private MemorySegment gather(PyTensor t, long[] shape, long[] stride, long item, long count) {
        MemorySegment src = t.storage().bytes();
        MemorySegment dst = arena.allocate(count * item, 8);
        int rank = shape.length;
        long[] index = new long[rank];
        long run = shape[rank - 1];
        boolean denseLast = stride[rank - 1] == 1;
        long out = 0;
        long done = 0;
        while (done < count) {
            long from = t.offset();
            for (int i = 0; i < rank - 1; i++) {
                from += index[i] * stride[i];
            }
            if (denseLast) {
                MemorySegment.copy(src, from * item, dst, out, run * item);
                out += run * item;
            } else {
                for (long j = 0; j < run; j++) {
                    MemorySegment.copy(src, (from + j * stride[rank - 1]) * item, dst, out, item);
                    out += item;
                }
            }
            done += run;
            for (int i = rank - 2; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return dst;
    }

    private TensorFormatException fail(String name, String problem) {
        return new TensorFormatException(file, "tensor " + StoredZipReader.quote(name) + " " + problem);
    }
}
