package io.extsub.safetensors.torch;

import io.extsub.safetensors.DType;
import java.util.Optional;

/**
 * The only Python globals a {@code torch.save} state dict refers to, and so the only ones we
 * accept. Everything else (os.system, builtins.eval, ...) is refused before unpickling starts.
 * The storage classes never get called: they only name the dtype inside a persistent id.
 */
enum AllowedGlobal {
    ORDERED_DICT("collections", "OrderedDict", null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    FLOAT_STORAGE("torch", "FloatStorage", DType.F32),
    HALF_STORAGE("torch", "HalfStorage", DType.F16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64),
    LONG_STORAGE("torch", "LongStorage", DType.I64),
    INT_STORAGE("torch", "IntStorage", DType.I32),
    SHORT_STORAGE("torch", "ShortStorage", DType.I16),
    CHAR_STORAGE("torch", "CharStorage", DType.I8),
    BYTE_STORAGE("torch", "ByteStorage", DType.U8),
    BOOL_STORAGE("torch", "BoolStorage", DType.BOOL);

    private final String module;
    private final String name;
    private final DType storageDType;

    AllowedGlobal(String module, String name, DType storageDType) {
        this.module = module;
        this.name = name;
        this.storageDType = storageDType;
    }

    static Optional<AllowedGlobal> find(String module, String name) {
        for (AllowedGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** The dtype of a typed storage class, empty for the callables. */
    Optional<DType> storageDType() {
        return Optional.ofNullable(storageDType);
    }

    String qualifiedName() {
        return module + "." + name;
    }
}
