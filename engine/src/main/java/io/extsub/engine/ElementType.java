package io.extsub.engine;

/**
 * Element encodings the engine reads from (and writes to) raw memory: the float
 * formats adapters and checkpoints are stored in. Little-endian throughout, as
 * safetensors and PyTorch store them.
 */
public enum ElementType {
    F32(4), F16(2), BF16(2), F64(8);

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }
}
