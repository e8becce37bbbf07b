package io.extsub.peft;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.Kernels;
import io.extsub.safetensors.TensorView;

/** Stored tensors to heap floats (F16/BF16 widened exactly), and transposition. */
final class Decode {
    private Decode() {}

    static ElementType elementType(TensorView t) {
        return switch (t.dtype()) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            case F64 -> ElementType.F64;
            default -> throw new IllegalArgumentException("not a float tensor: " + t);
        };
    }

    static float[] floats(TensorView t) {
        int n = Math.toIntExact(t.elementCount());
        float[] out = new float[n];
        Kernels.get().toFloat(t.data(), 0, elementType(t), out, 0, n);
        return out;
    }

    /** The transpose of a rows x cols row-major matrix. */
    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }
}
