package io.extsub.safetensors;

import java.util.Optional;

/**
 * Every dtype the safetensors format names (safetensors spec, "Format"; the Rust crate's
 * {@code Dtype} enum). Sizes are in bits because the sub-byte formats (F4, F6) pack.
 */
public enum DType {
    BOOL(8), U8(8), I8(8),
    F8_E5M2(8), F8_E4M3(8), F8_E8M0(8),
    // AMD's FNUZ variants (no negative zero, NaN = 0x80), added to the format after F8_E8M0.
    F8_E4M3FNUZ(8), F8_E5M2FNUZ(8),
    F4(4), F6_E2M3(6), F6_E3M2(6),
    I16(16), U16(16), F16(16), BF16(16),
    I32(32), U32(32), F32(32),
    I64(64), U64(64), F64(64),
    C64(64);

    private final int bits;

    DType(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** The spelling in a safetensors header, e.g. "BF16". */
    public String headerName() {
        return name();
    }

    public static Optional<DType> fromHeaderName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Bytes taken by {@code elements} values, or -1 when they do not fill whole bytes.
     * @throws ArithmeticException on overflow
     */
    public long byteSize(long elements) {
        long totalBits = Math.multiplyExact(elements, (long) bits);
        return totalBits % 8 == 0 ? totalBits / 8 : -1;
    }
}
