package io.extsub.safetensors.torch;

import io.extsub.safetensors.DType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values our restricted unpickler can build: the handful of Python types a state dict
 * pickle contains. Nothing here runs code or refers to a Python callable other than the
 * {@link AllowedGlobal}s.
 *
 * <p>{@link #depth()} is how deeply containers nest inside the value; the unpickler caps it.
 * Mutable containers can be made to contain themselves (BINPUT, BINGET, APPEND), so nothing
 * walks a value recursively: containers are never hashed, compared or printed.
 */
sealed interface PyValue {

    /** Nesting depth: 0 for scalars, 1 + the deepest element for containers. */
    default int depth() {
        return 0;
    }

    /** The Python type name, for error messages. */
    String typeName();

    record PyNone() implements PyValue {
        static final PyNone INSTANCE = new PyNone();

        @Override
        public String typeName() {
            return "None";
        }
    }

    record PyBool(boolean value) implements PyValue {
        @Override
        public String typeName() {
            return "bool";
        }
    }

    record PyInt(long value) implements PyValue {
        @Override
        public String typeName() {
            return "int";
        }
    }

    record PyFloat(double value) implements PyValue {
        @Override
        public String typeName() {
            return "float";
        }
    }

    record PyStr(String value) implements PyValue {
        @Override
        public String typeName() {
            return "str";
        }
    }

    record PyGlobal(AllowedGlobal global) implements PyValue {
        @Override
        public String typeName() {
            return global.qualifiedName();
        }
    }

    /** Immutable; its elements were built before it, so its depth is fixed. */
    record PyTuple(List<PyValue> items, int depth) implements PyValue {
        PyTuple(List<PyValue> items) {
            this(List.copyOf(items), 1 + maxDepth(items));
        }

        int size() {
            return items.size();
        }

        PyValue get(int i) {
            return items.get(i);
        }

        @Override
        public String typeName() {
            return "tuple";
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "tuple(" + items.size() + ")";
        }
    }

    /** A storage the archive holds as {@code data/<key>}: its typed bytes, not copied. */
    record PyStorage(String key, DType dtype, long elements, MemorySegment bytes) implements PyValue {
        @Override
        public String typeName() {
            return "storage";
        }
    }

    /** What {@code torch._utils._rebuild_tensor_v2} describes: a strided view of a storage. */
    record PyTensor(PyStorage storage, long offset, long[] shape, long[] stride) implements PyValue {
        @Override
        public String typeName() {
            return "torch.Tensor";
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** Identity semantics like Python's list: it may contain itself. */
    final class PyList implements PyValue {
        final List<PyValue> items = new ArrayList<>();
        int depth = 1;

        void add(PyValue v) {
            items.add(v);
            depth = Math.max(depth, 1 + v.depth());
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public String typeName() {
            return "list";
        }
    }

    /** dict or collections.OrderedDict; keys are scalars only (see the unpickler). */
    final class PyDict implements PyValue {
        final Map<PyValue, PyValue> items = new LinkedHashMap<>();
        final boolean ordered;
        int depth = 1;

        PyDict(boolean ordered) {
            this.ordered = ordered;
        }

        void put(PyValue k, PyValue v) {
            items.put(k, v);
            depth = Math.max(depth, 1 + v.depth());
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public String typeName() {
            return ordered ? "collections.OrderedDict" : "dict";
        }
    }

    /** Only ever empty: the allowed opcodes have no way to add to a set. */
    final class PySet implements PyValue {
        @Override
        public int depth() {
            return 1;
        }

        @Override
        public String typeName() {
            return "set";
        }
    }

    private static int maxDepth(List<PyValue> items) {
        int d = 0;
        for (PyValue v : items) {
            d = Math.max(d, v.depth());
        }
        return d;
    }
}
