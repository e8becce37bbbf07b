package io.extsub.cli;

import io.extsub.engine.extsub.DegenerateRows;
import io.extsub.peft.ModuleReport;
import io.extsub.peft.OperationReport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalDouble;

/** The human summary of an operation, on stderr. */
final class Summary {
    private Summary() {}

    static void print(OperationReport r, PrintStream err) {
        print(r, err, r.expert().toString(), r.antiExpert().toString());
    }

    /** With names for the inputs (the demo's are temporary copies, not worth showing). */
    static void print(OperationReport r, PrintStream err, String expert, String antiExpert) {
        String op = r.operation().name();
        err.printf(Locale.ROOT, "%s (alpha %s) of %s adapters: expert %s, anti-expert %s%n", op, fmt(r.operation().alpha()),
                r.peftType().configName(), expert, antiExpert);
        err.printf(Locale.ROOT, "  modules:         %d%n", r.moduleCount());
        if (r.outputRankTotal() > 0) {
            err.printf(Locale.ROOT, "  ranks:           expert %s, anti-expert %s -> output %s%n",
                    ranks(r, 0), ranks(r, 1), ranks(r, 2));
        }
        DegenerateRows d = r.degenerate();
        err.printf(Locale.ROOT, "  degenerate rows: %d", d.total());
        if (d.total() > 0) {
            err.printf(Locale.ROOT, " (anti-expert row zero: %d, expert row zero: %d, antiparallel: %d)",
                    d.zeroAnti(), d.zeroExpert(), d.antiparallel());
        }
        err.println();
        double worst = r.modules().stream().map(ModuleReport::relativeError).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max().orElse(-1);
        if (worst >= 0) {
            err.printf(Locale.ROOT, "  recompression:   worst relative error %.3g%n", worst);
        }
        if (!r.keptModulesToSave().isEmpty()) {
            err.printf(Locale.ROOT, "  modules_to_save: kept the expert's %s%n", String.join(", ", r.keptModulesToSave()));
        }
        for (String w : r.warnings()) {
            err.println("  warning: " + w);
        }
        err.printf(Locale.ROOT, "  output:          %s (%s, %s)%n", r.output(), r.dtype().name(), bytes(r.bytesWritten()));
        err.printf(Locale.ROOT, "  time:            %.3f s%n", r.elapsed().toNanos() / 1e9);
    }

    /** "16" when every module has the same rank, else "8..16" (total N). */
    private static String ranks(OperationReport r, int which) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        long sum = 0;
        for (ModuleReport m : r.modules()) {
            int v = switch (which) {
                case 0 -> m.expertRank();
                case 1 -> m.antiRank();
                default -> m.outputRank();
            };
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        if (r.modules().isEmpty()) {
            return "-";
        }
        return min == max ? Integer.toString(min) : min + ".." + max + " (total " + sum + ")";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    /** A number without a useless ".0" for integral values. */
    static String fmtNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
