package io.extsub.engine.gemm;

/** Row-major floats on the heap: element (i, j) at {@code data[offset + i * rowStride + j]}. */
public record HeapMatrix(float[] data, int offset, int rowStride) implements MatrixOperand {

    public HeapMatrix {
        if (offset < 0 || rowStride < 0) {
            throw new IllegalArgumentException("negative offset or stride");
        }
    }

    /** A dense row-major matrix with {@code cols} columns. */
    public static HeapMatrix of(float[] data, int cols) {
        return new HeapMatrix(data, 0, cols);
    }

    @Override
    public float get(long row, long col) {
        return data[Math.toIntExact(offset + row * rowStride + col)];
    }
}
