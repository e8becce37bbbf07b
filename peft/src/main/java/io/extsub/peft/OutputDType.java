package io.extsub.peft;

import io.extsub.engine.ElementType;
import io.extsub.safetensors.DType;

/** Element type of the written adapter; by default the expert's. */
public enum OutputDType {
    F32(ElementType.F32, DType.F32), F16(ElementType.F16, DType.F16), BF16(ElementType.BF16, DType.BF16);

    private final ElementType elementType;
    private final DType dtype;

    OutputDType(ElementType elementType, DType dtype) {
        this.elementType = elementType;
        this.dtype = dtype;
    }

    public ElementType elementType() {
        return elementType;
    }

    public DType dtype() {
        return dtype;
    }
}
