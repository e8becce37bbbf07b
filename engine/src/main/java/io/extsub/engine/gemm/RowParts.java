package io.extsub.engine.gemm;

/**
 * Row-by-row reductions over a matrix split across GEMM's thread pool: the rows go in one
 * contiguous range per core, each range's float64 sum is computed by its own thread, and the
 * partial sums are added in range order, so a given core count gives the same result every
 * time. For passes that stream a whole matrix once (its norm, forming a delta), where a second
 * core otherwise sits idle.
 */
public final class RowParts {
    /** Smaller matrices are done by the caller alone: handing work to a pool thread costs more. */
    public static final long PARALLEL_MIN_ELEMENTS = 1L << 20;

    private RowParts() {}

    /** The float64 sum of one range of rows, {@code from} inclusive to {@code to} exclusive. */
    @FunctionalInterface
    public interface RangeSum {
        double apply(int from, int to);
    }

    /**
     * The sum of {@code task} over rows 0..rows of a rows x cols matrix, split over the cores
     * when {@code parallel} (false for data only the calling thread may read, such as a segment
     * of a confined arena) and the matrix has at least {@link #PARALLEL_MIN_ELEMENTS}.
     */
    public static double sum(int rows, int cols, boolean parallel, RangeSum task) {
        GemmPool pool = GemmPool.shared();
        int parts = parallel && (long) rows * cols >= PARALLEL_MIN_ELEMENTS ? Math.min(pool.parallelism(), rows) : 1;
        double[] partials = new double[parts];
        pool.run(parts, part -> partials[part] = task.apply(rowOf(rows, parts, part, 1, rows),
                rowOf(rows, parts, part + 1, 1, rows)));
        double s = 0;
        for (double partial : partials) {
            s += partial;
        }
        return s;
    }

    /**
     * First row of part p when {@code units} runs of {@code step} rows (m in all) are split into
     * {@code parts} (RowBlockGemm splits whole row blocks, the sums here single rows).
     */
    static int rowOf(int units, int parts, int p, int step, int m) {
        return (int) Math.min(m, (long) units * p / parts * step);
    }
}
