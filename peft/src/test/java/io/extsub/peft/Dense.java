package io.extsub.peft;

import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-side float64 helpers, written independently of the code under test: decoding of
 * stored tensors, dense products, and the reference's row-projection form of Ext-Sub.
 */
final class Dense {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Dense() {}

    /** A dense row-major float64 matrix (vectors and higher ranks are flattened to rows x last dim). */
    record Mat(int rows, int cols, double[] v) {
        double get(int i, int j) {
            return v[i * cols + j];
        }

        double rowMaxAbs(int i) {
            double m = 0;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, Math.abs(get(i, j)));
            }
            return m;
        }
    }

    static Map<String, Mat> read(Path file) throws IOException {
        Map<String, Mat> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorView t : f.tensors()) {
                out.put(t.name(), decode(t));
            }
        }
        return out;
    }

    static Mat decode(TensorView t) {
        int n = Math.toIntExact(t.elementCount());
        long[] s = t.shape();
        int cols = s.length == 0 ? 1 : (int) (s.length == 1 ? s[0] : n / s[0]);
        int rows = n / Math.max(cols, 1);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t.dtype()) {
                case F32 -> t.data().get(F32, 4L * i);
                case F16 -> Float.float16ToFloat(t.data().get(I16, 2L * i));
                case BF16 -> Float.intBitsToFloat(t.data().get(I16, 2L * i) << 16);
                default -> throw new IllegalArgumentException(t.toString());
            };
        }
        return new Mat(rows, cols, v);
    }

    /** s * B A. */
    static Mat product(double s, Mat b, Mat a) {
        if (b.cols() != a.rows()) {
            throw new IllegalArgumentException(b.rows() + "x" + b.cols() + " * " + a.rows() + "x" + a.cols());
        }
        double[] out = new double[b.rows() * a.cols()];
        for (int i = 0; i < b.rows(); i++) {
            for (int k = 0; k < b.cols(); k++) {
                double x = b.get(i, k);
                for (int j = 0; j < a.cols(); j++) {
                    out[i * a.cols() + j] += x * a.get(k, j);
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return new Mat(b.rows(), a.cols(), out);
    }

    static Mat scaled(double s, Mat m) {
        double[] v = m.v().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return new Mat(m.rows(), m.cols(), v);
    }

    /**
     * The reference's definition (not the closed form): n1, n2, c = (n1+n2)/|n1+n2|,
     * p = (w2.c) c, out = w1 - alpha*w2 + alpha*p; degenerate rows by our documented rule
     * (w2 = 0: w1; w1 = 0: -alpha*w2; antiparallel: (1 + alpha*rho) w1... via the limit
     * p = (|w2| n1 + w2)/2 = 0).
     */
    static double[] extSubRow(double[] w1, double[] w2, double alpha) {
        int n = w1.length;
        double n1 = norm(w1), n2 = norm(w2);
        double[] out = new double[n];
        if (n2 == 0) {
            return w1.clone();
        }
        if (n1 == 0) {
            for (int j = 0; j < n; j++) {
                out[j] = -alpha * w2[j];
            }
            return out;
        }
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            c[j] = w1[j] / n1 + w2[j] / n2;
        }
        double nc = norm(c);
        double dot = 0;
        if (nc > 0) {
            for (int j = 0; j < n; j++) {
                c[j] /= nc;
                dot += w2[j] * c[j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] = w1[j] - alpha * w2[j] + alpha * dot * c[j];
        }
        return out;
    }

    static Mat extSubRows(Mat w1, Mat w2, int rowLength, double alpha) {
        double[] out = new double[w1.v().length];
        for (int at = 0; at < out.length; at += rowLength) {
            double[] r1 = java.util.Arrays.copyOfRange(w1.v(), at, at + rowLength);
            double[] r2 = java.util.Arrays.copyOfRange(w2.v(), at, at + rowLength);
            System.arraycopy(extSubRow(r1, r2, alpha), 0, out, at, rowLength);
        }
        return new Mat(w1.rows(), w1.cols(), out);
    }

    static Mat combine(Mat w1, Mat w2, double c) {
        double[] out = new double[w1.v().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = w1.v()[i] + c * w2.v()[i];
        }
        return new Mat(w1.rows(), w1.cols(), out);
    }

    static double norm(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
