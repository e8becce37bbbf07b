package io.extsub.engine.gemm;

/**
 * One thread's packing buffers. They only grow, so after the first call of a given size a
 * thread multiplies without allocating.
 */
final class PackBuffers {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] tile = new float[0];
    float[] line = new float[0];

    float[] a(int size) {
        if (a.length < size) a = new float[size];
        return a;
    }

    float[] b(int size) {
        if (b.length < size) b = new float[size];
        return b;
    }

    float[] tile(int size) {
        if (tile.length < size) tile = new float[size];
        return tile;
    }

    float[] line(int size) {
        if (line.length < size) line = new float[size];
        return line;
    }
}
