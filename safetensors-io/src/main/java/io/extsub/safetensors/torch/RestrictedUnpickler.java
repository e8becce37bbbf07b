package io.extsub.safetensors.torch;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.torch.PyValue.PyBool;
import io.extsub.safetensors.torch.PyValue.PyDict;
import io.extsub.safetensors.torch.PyValue.PyFloat;
import io.extsub.safetensors.torch.PyValue.PyGlobal;
import io.extsub.safetensors.torch.PyValue.PyInt;
import io.extsub.safetensors.torch.PyValue.PyList;
import io.extsub.safetensors.torch.PyValue.PyNone;
import io.extsub.safetensors.torch.PyValue.PySet;
import io.extsub.safetensors.torch.PyValue.PyStorage;
import io.extsub.safetensors.torch.PyValue.PyStr;
import io.extsub.safetensors.torch.PyValue.PyTensor;
import io.extsub.safetensors.torch.PyValue.PyTuple;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The second pass over {@code data.pkl}: a pickle virtual machine (Python's {@code pickle}
 * module, protocol 2) restricted to the opcodes of torch's weights-only unpickler and to the
 * {@link AllowedGlobal}s. "Calling" an allowed global builds a description (an empty dict, a
 * {@link PyTensor}); no Python semantics beyond that exist here, so nothing can be executed.
 * Every resource the pickle can make us spend is capped by {@link UnpicklerLimits}.
 *
 * <p>Run {@link PickleScanner} first: it refuses other globals before anything is built.
 */
final class RestrictedUnpickler {

    /** Maps a persistent id {@code ('storage', type, key, location, numel)} to bytes. */
    interface StorageResolver {
        PyStorage resolve(String key, DType dtype, long elements) throws TensorFormatException;
    }

    private final PickleReader in;
    private final UnpicklerLimits limits;
    private final StorageResolver storages;
    private final List<PyValue> stack = new ArrayList<>();
    private final int[] marks;
    private int markCount;
    private final Map<Long, PyValue> memo = new HashMap<>();
    private long pushed;
    private long opAt;

    private RestrictedUnpickler(Path file, MemorySegment pickle, UnpicklerLimits limits,
                                StorageResolver storages) {
        this.in = new PickleReader(file, pickle);
        this.limits = limits;
        this.storages = storages;
        this.marks = new int[limits.maxMarkDepth()];
    }

    static PyValue load(Path file, MemorySegment pickle, UnpicklerLimits limits,
                        StorageResolver storages) throws TensorFormatException {
        if (pickle.byteSize() > limits.maxPickleBytes()) {
            throw new TensorFormatException(file, "the pickle (data.pkl) is " + pickle.byteSize()
                    + " bytes, more than the limit of " + limits.maxPickleBytes());
        }
        return new RestrictedUnpickler(file, pickle, limits, storages).run();
    }

    private PyValue run() throws TensorFormatException {
        while (true) {
            opAt = in.position();
            int b = in.u8();
            PickleOpcode op = PickleOpcode.of(b);
            if (op == null || !op.accepted) {
                throw fail("unsupported pickle opcode 0x" + Integer.toHexString(b));
            }
            switch (op) {
                case PROTO -> {
                    int v = in.u8();
                    if (v < 2 || v > 5) {
                        throw fail("pickle protocol " + v + " (torch.save writes protocol 2)");
                    }
                }
                case STOP -> {
                    if (markCount != 0 || stack.size() != 1) {
                        throw fail("the pickle stops with " + stack.size() + " values and "
                                + markCount + " open MARKs on its stack, expected one value");
                    }
                    return stack.getFirst();
                }
                case MARK -> {
                    if (markCount == marks.length) {
                        throw fail("more than " + marks.length + " nested MARKs");
                    }
                    marks[markCount++] = stack.size();
                }
                case GLOBAL -> {
                    String module = in.utf8(in.line(PickleScanner.MAX_GLOBAL_LINE));
                    String name = in.utf8(in.line(PickleScanner.MAX_GLOBAL_LINE));
                    AllowedGlobal g = AllowedGlobal.find(module, name).orElseThrow(() -> in.fail(
                            "refusing to load: it references the Python global " + module + "." + name
                                    + ", which a tensor state dict never needs"));
                    push(new PyGlobal(g));
                }
                case REDUCE -> {
                    PyTuple args = tuple(pop(), "REDUCE arguments");
                    PyValue func = top();
                    replaceTop(call(func, args));
                }
                case NEWOBJ -> {
                    PyTuple args = tuple(pop(), "NEWOBJ arguments");
                    PyValue cls = pop();
                    if (cls instanceof PyGlobal(AllowedGlobal g) && g == AllowedGlobal.ORDERED_DICT
                            && args.size() == 0) {
                        push(new PyDict(true));
                    } else {
                        throw fail("NEWOBJ of " + cls.typeName() + ", which a tensor state dict never creates");
                    }
                }
                case BUILD -> {
                    PyValue state = pop();
                    PyValue inst = top();
                    // OrderedDict.__reduce__ passes the instance __dict__ (e.g. state_dict's
                    // _metadata) as state; we have no use for it, but it must be plain data.
                    if (!(inst instanceof PyDict) || !isDictState(state)) {
                        throw fail("BUILD of a " + inst.typeName() + " with a " + state.typeName()
                                + ", which a tensor state dict never needs");
                    }
                }
                case APPEND -> {
                    PyValue item = pop();
                    append(top(), List.of(item));
                }
                case APPENDS -> {
                    List<PyValue> items = popMark();
                    append(top(), items);
                }
                case SETITEM -> {
                    PyValue v = pop();
                    PyValue k = pop();
                    setItems(top(), List.of(k, v));
                }
                case SETITEMS -> {
                    List<PyValue> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of values (" + items.size() + ")");
                    }
                    setItems(top(), items);
                }
                case TUPLE -> push(newTuple(popMark()));
                case TUPLE1 -> push(newTuple(List.of(pop())));
                case TUPLE2 -> {
                    PyValue b2 = pop();
                    PyValue a = pop();
                    push(newTuple(List.of(a, b2)));
                }
                case TUPLE3 -> {
                    PyValue c = pop();
                    PyValue b2 = pop();
                    PyValue a = pop();
                    push(newTuple(List.of(a, b2, c)));
                }
                case NONE -> push(PyNone.INSTANCE);
                case NEWTRUE -> push(new PyBool(true));
                case NEWFALSE -> push(new PyBool(false));
                case EMPTY_TUPLE -> push(newTuple(List.of()));
                case EMPTY_LIST -> push(new PyList());
                case EMPTY_DICT -> push(new PyDict(false));
                case EMPTY_SET -> push(new PySet());
                case BININT -> push(new PyInt(in.i32()));
                case BININT1 -> push(new PyInt(in.u8()));
                case BININT2 -> push(new PyInt(in.u16()));
                case LONG1 -> push(new PyInt(long1(in.u8())));
                case BINFLOAT -> push(new PyFloat(in.f64BigEndian()));
                case BINUNICODE -> {
                    long n = in.u32();
                    if (n > limits.maxStringBytes()) {
                        throw fail("a string of " + n + " bytes, more than the limit of " + limits.maxStringBytes());
                    }
                    push(new PyStr(in.utf8(in.take(n))));
                }
                // torch.load decodes protocol-2 byte strings as UTF-8 (its default encoding).
                case SHORT_BINSTRING -> push(new PyStr(in.utf8(in.take(in.u8()))));
                case BINPERSID -> push(persistentLoad(pop()));
                case BINGET -> push(memoGet(in.u8()));
                case LONG_BINGET -> push(memoGet(in.u32()));
                case BINPUT -> memoPut(in.u8());
                case LONG_BINPUT -> memoPut(in.u32());
                default -> throw fail("unsupported pickle opcode " + op.describe());
            }
        }
    }

    // --- the allowed callables ---

    private PyValue call(PyValue func, PyTuple args) throws TensorFormatException {
        if (!(func instanceof PyGlobal(AllowedGlobal g))) {
            throw fail("REDUCE calls a " + func.typeName() + ", which is not an allowed callable");
        }
        return switch (g) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw fail("collections.OrderedDict called with " + args.size() + " arguments");
                }
                yield new PyDict(true);
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
            case REBUILD_PARAMETER -> rebuildParameter(args);
            default -> throw fail("REDUCE calls " + g.qualifiedName()
                    + ", which a tensor state dict never calls");
        };
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private PyTensor rebuildTensor(PyTuple args) throws TensorFormatException {
        if (args.size() != 6 && args.size() != 7) {
            throw fail("torch._utils._rebuild_tensor_v2 called with " + args.size() + " arguments, expected 6 or 7");
        }
        if (!(args.get(0) instanceof PyStorage storage)) {
            throw fail("a tensor's storage is a " + args.get(0).typeName() + ", not a persistent storage");
        }
        long offset = nonNegative(args.get(1), "storage offset");
        long[] shape = ints(args.get(2), "shape");
        long[] stride = ints(args.get(3), "stride");
        if (shape.length != stride.length) {
            throw fail("a tensor has " + shape.length + " dimensions but " + stride.length + " strides");
        }
        if (!(args.get(4) instanceof PyBool)) {
            throw fail("a tensor's requires_grad is a " + args.get(4).typeName() + ", not a bool");
        }
        requireEmptyDict(args.get(5), "backward hooks");
        if (args.size() == 7 && !(args.get(6) instanceof PyNone)) {
            requireEmptyDict(args.get(6), "metadata");
        }
        return new PyTensor(storage, offset, shape, stride);
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks)}: a Parameter is its tensor. */
    private PyTensor rebuildParameter(PyTuple args) throws TensorFormatException {
        if (args.size() != 3) {
            throw fail("torch._utils._rebuild_parameter called with " + args.size() + " arguments, expected 3");
        }
        if (!(args.get(0) instanceof PyTensor t)) {
            throw fail("a parameter wraps a " + args.get(0).typeName() + ", not a tensor");
        }
        if (!(args.get(1) instanceof PyBool)) {
            throw fail("a parameter's requires_grad is a " + args.get(1).typeName() + ", not a bool");
        }
        requireEmptyDict(args.get(2), "backward hooks");
        return t;
    }

    /** {@code ('storage', torch.<Type>Storage, key, location, numel)} as torch.save writes it. */
    private PyStorage persistentLoad(PyValue pid) throws TensorFormatException {
        if (!(pid instanceof PyTuple t) || t.size() != 5
                || !(t.get(0) instanceof PyStr(String tag)) || !tag.equals("storage")) {
            throw fail("a persistent id that is not ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof PyGlobal(AllowedGlobal g)) || g.storageDType().isEmpty()) {
            throw fail("a persistent storage whose type is a " + t.get(1).typeName() + ", not a typed storage class");
        }
        if (!(t.get(2) instanceof PyStr(String key)) || key.isEmpty() || key.length() > 256
                || key.indexOf('/') >= 0) {
            throw fail("a persistent storage with an invalid key");
        }
        if (!(t.get(3) instanceof PyStr)) {
            throw fail("a persistent storage whose location is a " + t.get(3).typeName() + ", not a string");
        }
        long elements = nonNegative(t.get(4), "storage size");
        return storages.resolve(key, g.storageDType().get(), elements);
    }

    private static boolean isDictState(PyValue state) {
        if (state instanceof PyDict || state instanceof PyNone) {
            return true;
        }
        return state instanceof PyTuple t && t.size() == 2
                && (t.get(0) instanceof PyDict || t.get(0) instanceof PyNone)
                && (t.get(1) instanceof PyDict || t.get(1) instanceof PyNone);
    }

    private void requireEmptyDict(PyValue v, String what) throws TensorFormatException {
        if (!(v instanceof PyDict d)) {
            throw fail("a tensor's " + what + " is a " + v.typeName() + ", not a dict");
        }
        if (!d.items.isEmpty()) {
            throw fail("a tensor has " + what + " (" + d.items.size() + " entries), which a saved state dict never has");
        }
    }

    private long[] ints(PyValue v, String what) throws TensorFormatException {
        if (!(v instanceof PyTuple t)) {
            throw fail("a tensor's " + what + " is a " + v.typeName() + ", not a tuple");
        }
        if (t.size() > limits.maxRank()) {
            throw fail("a tensor has " + t.size() + " dimensions, more than the limit of " + limits.maxRank());
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(t.get(i), what);
        }
        return out;
    }

    private long nonNegative(PyValue v, String what) throws TensorFormatException {
        if (!(v instanceof PyInt(long value))) {
            throw fail("a tensor's " + what + " holds a " + v.typeName() + ", not an int");
        }
        if (value < 0) {
            throw fail("a tensor's " + what + " holds the negative value " + value);
        }
        return value;
    }

    // --- containers ---

    private PyTuple tuple(PyValue v, String what) throws TensorFormatException {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw fail(what + " are a " + v.typeName() + ", not a tuple");
    }

    private PyTuple newTuple(List<PyValue> items) throws TensorFormatException {
        if (items.size() > limits.maxContainerItems()) {
            throw fail("a tuple of " + items.size() + " items, more than the limit of " + limits.maxContainerItems());
        }
        PyTuple t = new PyTuple(items);
        checkNesting(t);
        return t;
    }

    private void append(PyValue target, List<PyValue> items) throws TensorFormatException {
        if (!(target instanceof PyList list)) {
            throw fail("APPEND to a " + target.typeName() + ", which is not a list");
        }
        if (items.size() > limits.maxContainerItems() - list.items.size()) {
            throw fail("a list of more than " + limits.maxContainerItems() + " items");
        }
        for (PyValue item : items) {
            list.add(item);
        }
        checkNesting(list);
    }

    private void setItems(PyValue target, List<PyValue> keysAndValues) throws TensorFormatException {
        if (!(target instanceof PyDict dict)) {
            throw fail("SETITEM on a " + target.typeName() + ", which is not a dict");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            PyValue k = keysAndValues.get(i);
            // Only scalar keys: they hash by value without walking anything.
            if (!(k instanceof PyStr || k instanceof PyInt || k instanceof PyBool
                    || k instanceof PyNone || k instanceof PyFloat)) {
                throw fail("a dict key of type " + k.typeName() + ", which a state dict never has");
            }
            if (dict.items.size() >= limits.maxContainerItems() && !dict.items.containsKey(k)) {
                throw fail("a dict of more than " + limits.maxContainerItems() + " items");
            }
            dict.put(k, keysAndValues.get(i + 1));
        }
        checkNesting(dict);
    }

    private void checkNesting(PyValue v) throws TensorFormatException {
        if (v.depth() > limits.maxNesting()) {
            throw fail("containers nested more than " + limits.maxNesting() + " deep");
        }
    }

    private long long1(int n) throws TensorFormatException {
        if (n > 8) {
            throw fail("an integer of " + n + " bytes, larger than any tensor size");
        }
        byte[] b = in.take(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        if (n > 0 && n < 8 && b[n - 1] < 0) {
            v |= -1L << (8 * n); // two's complement sign extension
        }
        return v;
    }

    // --- stack and memo ---

    private int base() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void push(PyValue v) throws TensorFormatException {
        if (++pushed > limits.maxValues()) {
            throw fail("the pickle builds more than " + limits.maxValues() + " values");
        }
        if (stack.size() >= limits.maxStack()) {
            throw fail("more than " + limits.maxStack() + " values on the pickle stack");
        }
        stack.add(v);
    }

    private PyValue pop() throws TensorFormatException {
        if (stack.size() <= base()) {
            throw fail("pickle stack underflow");
        }
        return stack.removeLast();
    }

    private PyValue top() throws TensorFormatException {
        if (stack.size() <= base()) {
            throw fail("pickle stack underflow");
        }
        return stack.getLast();
    }

    private void replaceTop(PyValue v) {
        stack.set(stack.size() - 1, v);
    }

    private List<PyValue> popMark() throws TensorFormatException {
        if (markCount == 0) {
            throw fail("an opcode needs a MARK but none is open");
        }
        int from = marks[--markCount];
        List<PyValue> tail = stack.subList(from, stack.size());
        List<PyValue> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private PyValue memoGet(long index) throws TensorFormatException {
        PyValue v = memo.get(index);
        if (v == null) {
            throw fail("memo slot " + index + " is read before it is written");
        }
        return v;
    }

    private void memoPut(long index) throws TensorFormatException {
        PyValue v = top();
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
            throw fail("more than " + limits.maxMemoEntries() + " memo entries");
        }
        memo.put(index, v);
    }

    private TensorFormatException fail(String problem) {
        return in.fail(problem + " (data.pkl offset " + opAt + ")");
    }
}
