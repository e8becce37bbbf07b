package io.extsub.property.peft;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The row-by-row definition of Ext-Sub (the reference's projection form, not the closed
 * form) on dense EJML matrices, with our documented rules for degenerate rows.
 */
final class DenseExtSub {
    private DenseExtSub() {}

    /** s * B A as a dense EJML matrix from row-major float factors. */
    static DMatrixRMaj delta(double s, float[] b, float[] a, int rows, int rank, int cols) {
        DMatrixRMaj bm = new DMatrixRMaj(rows, rank);
        DMatrixRMaj am = new DMatrixRMaj(rank, cols);
        for (int i = 0; i < b.length; i++) {
            bm.data[i] = b[i];
        }
        for (int i = 0; i < a.length; i++) {
            am.data[i] = a[i];
        }
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(s, bm, am, w);
        return w;
    }

    static DMatrixRMaj extSub(DMatrixRMaj w1, DMatrixRMaj w2, double alpha) {
        int rows = w1.numRows, cols = w1.numCols;
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) {
            DMatrixRMaj r1 = CommonOps_DDRM.extractRow(w1, i, null);
            DMatrixRMaj r2 = CommonOps_DDRM.extractRow(w2, i, null);
            double n1 = CommonOps_DDRM.dot(r1, r1), n2 = CommonOps_DDRM.dot(r2, r2);
            DMatrixRMaj o;
            if (n2 == 0) {
                o = r1;
            } else if (n1 == 0) {
                o = r2.copy();
                CommonOps_DDRM.scale(-alpha, o);
            } else {
                DMatrixRMaj c = new DMatrixRMaj(1, cols);
                CommonOps_DDRM.add(1 / Math.sqrt(n1), r1, 1 / Math.sqrt(n2), r2, c);
                double nc = Math.sqrt(CommonOps_DDRM.dot(c, c));
                o = new DMatrixRMaj(1, cols);
                CommonOps_DDRM.add(1, r1, -alpha, r2, o);
                if (nc > 1e-12) {
                    CommonOps_DDRM.scale(1 / nc, c);
                    double d = CommonOps_DDRM.dot(r2, c);
                    CommonOps_DDRM.addEquals(o, alpha * d, c);
                }
            }
            CommonOps_DDRM.insert(o, out, i, 0);
        }
        return out;
    }

    static DMatrixRMaj combine(DMatrixRMaj w1, DMatrixRMaj w2, double c) {
        DMatrixRMaj out = new DMatrixRMaj(w1.numRows, w1.numCols);
        CommonOps_DDRM.add(1, w1, c, w2, out);
        return out;
    }

    /** Largest |x - y| in row i relative to max |want row i|; fails on NaN. */
    static double rowRelativeError(DMatrixRMaj want, DMatrixRMaj got) {
        double worst = 0;
        for (int i = 0; i < want.numRows; i++) {
            double m = 1e-30, d = 0;
            for (int j = 0; j < want.numCols; j++) {
                m = Math.max(m, Math.abs(want.get(i, j)));
                double e = Math.abs(want.get(i, j) - got.get(i, j));
                d = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(d, e);
            }
            worst = Math.max(worst, d / m);
        }
        return worst;
    }
}
