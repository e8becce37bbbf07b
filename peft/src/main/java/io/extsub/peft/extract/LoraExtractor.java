package io.extsub.peft.extract;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.GemmWarmUp;
import io.extsub.engine.gemm.HeapMatrix;
import io.extsub.engine.gemm.MatrixOperand;
import io.extsub.engine.gemm.RowParts;
import io.extsub.engine.gemm.SegmentMatrix;
import io.extsub.engine.linalg.LinearOperator;
import io.extsub.engine.linalg.LowRankSvd;
import io.extsub.engine.linalg.RandomizedSvd;
import io.extsub.engine.simd.FloatKernels;
import io.extsub.engine.simd.Kernels;
import io.extsub.peft.Decode;
import io.extsub.peft.OutputFolder;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.Safetensors;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA extraction from a full fine-tune: each targeted delta = tuned - base is factored by
 * randomized SVD, delta ~ U S V^T, and written as lora_B = U S (out x r), lora_A = V^T
 * (r x in) with lora_alpha = r, so PEFT's scale is 1 and B A is the truncated SVD.
 *
 * <p>Memory: the two models are mapped, never read in full. A delta of up to
 * {@link #MATERIALIZE_LIMIT_BYTES} is formed once in float32 (one pass over both weights):
 * every later product then reads one float32 matrix instead of two, which halves the GEMM
 * work and avoids the cancellation of tuned X - base X in float32. All modules share one
 * buffer, sized for the largest and allocated before the first: a fresh 180 MB array cost
 * 90-95 ms (the kernel's page faults on new heap memory) in the middle of a run, while before
 * the first module that cost overlaps the GEMM warm-up. Larger deltas (embedding matrices)
 * stay implicit ({@link LinearOperator#difference}). The factors of all modules are kept until
 * the output is written (r (m + n) floats per module).
 *
 * <p>The adapter folder is written as {@code ext-sub} writes its own ({@link OutputFolder}):
 * atomically, never inside or over an input, and replaced whole with {@code force}.
 */
public final class LoraExtractor {
    static final long MATERIALIZE_LIMIT_BYTES = 512L << 20;
    /**
     * The longest wait for the GEMM warm-up before the first factorization: it takes 0.6-0.7 s
     * on the 2-core AVX2 host of docs/benchmarks.md while the first delta is formed; a slower
     * host starts its products at this point anyway.
     */
    private static final long WARM_UP_WAIT_MILLIS = 3000;
    /**
     * Smaller deltas do not wait for the warm-up (tiny ones, as in tests, are done long before
     * it). Measured at rank 64, whole process, 3 alternating pairs each: 384 x 384 took
     * 1.10-1.22 s waiting against 1.25-1.51 s not; 128 x 128 and 192 x 192 took the same either way.
     */
    private static final long WAIT_MIN_ELEMENTS = 256 * 256;
    private static final System.Logger LOG = System.getLogger(LoraExtractor.class.getName());

    private LoraExtractor() {}

    private record Factors(String module, DType dtype, int rows, int cols, float[] b, float[] a, double error) {
        int rank() {
            return b.length / rows;
        }
    }

    public static ExtractReport extract(ExtractRequest req) throws IOException {
        long t0 = System.nanoTime();
        List<Factors> done = new ArrayList<>();
        List<Path> inputs = List.of(req.base(), req.tuned());
        try (TensorSource base = Safetensors.open(req.base());
             TensorSource tuned = Safetensors.open(req.tuned())) {
            OutputFolder.checkTarget(req.out(), req.force(), inputs); // fail fast, before any work
            // compiles the GEMM kernels while the first delta is formed
            GemmWarmUp.startInBackground();
            List<TensorView> selected = select(tuned, req.targets());
            if (selected.isEmpty()) {
                throw new TensorFormatException(tuned.path(), "no 2-D weight matches the target modules " + req.targets());
            }
            req.progress().started(selected.size());
            float[] deltas = new float[largestDelta(selected)];
            int count = 0;
            for (TensorView t : selected) {
                TensorView b = base.find(t.name()).orElseThrow(() -> new TensorFormatException(base.path(),
                        "tensor " + t.name() + " is in the tuned model but not in the base model"));
                if (b.dtype() != t.dtype() || b.rank() != 2 || b.dim(0) != t.dim(0) || b.dim(1) != t.dim(1)) {
                    throw new TensorFormatException(tuned.path(), "tensor " + t.name() + ": " + t.dtype() + " " + t.shapeString()
                            + " in the tuned model but " + b.dtype() + " " + b.shapeString() + " in the base model");
                }
                done.add(factor(t, b, req, tuned.path(), deltas));
                req.progress().moduleDone(moduleOf(t.name()), ++count, selected.size());
            }
            // The factors are on the heap now; the mappings can go before writing.
        }
        long bytes = write(req, done, inputs);
        List<ExtractedModule> modules = new ArrayList<>();
        for (Factors f : done) {
            modules.add(new ExtractedModule(f.module(), f.rows(), f.cols(), f.rank(), f.error()));
        }
        return new ExtractReport(req.base(), req.tuned(), req.out(), modules, bytes, (System.nanoTime() - t0) / 1e9);
    }

    /** Module name of a weight key: "model.layers.0.self_attn.q_proj.weight" -> "model.layers.0.self_attn.q_proj". */
    static String moduleOf(String key) {
        return key.substring(0, key.length() - ".weight".length());
    }

    /** PEFT's list form of target_modules: the module name equals a target or ends with "." + target. */
    static boolean matches(String module, List<String> targets) {
        for (String t : targets) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    private static List<TensorView> select(TensorSource tuned, List<String> targets) throws TensorFormatException {
        List<TensorView> out = new ArrayList<>();
        for (TensorView t : tuned.tensors()) {
            if (!t.name().endsWith(".weight") || t.rank() != 2 || !matches(moduleOf(t.name()), targets)) {
                continue;
            }
            if (elementType(t.dtype()) == null) {
                throw new TensorFormatException(tuned.path(), "tensor " + t.name() + ": dtype " + t.dtype()
                        + " is not supported (F32, F16, BF16 or F64)");
            }
            if (t.dim(0) > Integer.MAX_VALUE || t.dim(1) > Integer.MAX_VALUE) {
                throw new TensorFormatException(tuned.path(), "tensor " + t.name() + " " + t.shapeString() + " is too large");
            }
            out.add(t);
        }
        return out;
    }

    private static ElementType elementType(DType d) {
        return switch (d) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            case F64 -> ElementType.F64;
            default -> null;
        };
    }

    /** Elements of the largest delta that {@link #factor} forms in float32 (0 if none). */
    private static int largestDelta(List<TensorView> selected) {
        long largest = 0;
        for (TensorView t : selected) {
            long elements = Math.multiplyExact(t.dim(0), t.dim(1));
            if (materialized(t.dtype(), elements)) {
                largest = Math.max(largest, elements);
            }
        }
        return Math.toIntExact(largest);
    }

    private static boolean materialized(DType dtype, long elements) {
        return elements * 4 <= MATERIALIZE_LIMIT_BYTES && dtype != DType.F64;
    }

    private static Factors factor(TensorView tuned, TensorView base, ExtractRequest req, Path tunedFile, float[] deltas)
            throws TensorFormatException {
        int rows = (int) tuned.dim(0);
        int cols = (int) tuned.dim(1);
        ElementType type = elementType(tuned.dtype());
        MatrixOperand t = SegmentMatrix.rowMajor(tuned.data(), type, cols);
        MatrixOperand b = SegmentMatrix.rowMajor(base.data(), type, cols);
        LinearOperator op;
        if (materialized(tuned.dtype(), (long) rows * cols)) {
            double norm2 = delta(tuned, base, type, rows, cols, deltas);
            if (!Double.isFinite(norm2)) {
                throw nonFinite(tunedFile, tuned);
            }
            op = LinearOperator.of(HeapMatrix.of(deltas, cols), rows, cols, norm2);
        } else {
            op = LinearOperator.difference(t, b, rows, cols);
        }
        // The delta is formed (plain loops); large products should not start before their kernels are compiled.
        if ((long) rows * cols >= WAIT_MIN_ELEMENTS) {
            GemmWarmUp.awaitCompletion(WARM_UP_WAIT_MILLIS);
        }
        RandomizedSvd.Options o = RandomizedSvd.Options.defaults().withSeed(req.seed());
        LowRankSvd svd = switch (req.rank()) {
            case RankChoice.Fixed f -> RandomizedSvd.fixedRank(op, Math.min(f.rank(), Math.min(rows, cols)), o);
            case RankChoice.Tolerance tol -> RandomizedSvd.fixedPrecision(op, tol.tol(), tol.maxRank(), o);
        };
        if (!Double.isFinite(svd.relativeError())) {
            throw nonFinite(tunedFile, tuned);
        }
        int r = svd.rank();
        float[] bf = timesSingularValues(svd.u(), rows, r, svd.s()); // B = U S
        DType out = req.outputDType() != null ? req.outputDType() : (tuned.dtype() == DType.F64 ? DType.F32 : tuned.dtype());
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1}x{2} rank {3} error {4}", moduleOf(tuned.name()), rows, cols, r, svd.relativeError());
        return new Factors(moduleOf(tuned.name()), out, rows, cols, bf, svd.vt(), svd.relativeError());
    }

    private static TensorFormatException nonFinite(Path tunedFile, TensorView tuned) {
        return new TensorFormatException(tunedFile, "tensor " + tuned.name() + ": tuned - base has NaN or infinite values");
    }

    /**
     * U diag(s), rows x r. Its own method: inlined in {@link #factor}, this loop (run once per
     * module, millions of iterations) made C2 compile all of factor on-stack, 33-139 ms of
     * compile time in a short extract run; alone it is a small compile.
     */
    private static float[] timesSingularValues(float[] u, int rows, int r, float[] s) {
        float[] out = new float[Math.multiplyExact(rows, r)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < r; j++) {
                out[i * r + j] = u[i * r + j] * s[j];
            }
        }
        return out;
    }

    /**
     * d[0 .. rows * cols) = tuned - base in float32, row by row; returns ||tuned - base||_F^2
     * (float64 sums of each row while it is in cache, so the randomized SVD needs no pass of
     * its own). Plain array loops on bulk-copied rows, not the vector kernels: this runs once,
     * at the start of a short process, while C2 is busy with the GEMM warm-up, and Vector API
     * code runs boxed until C2 has compiled it (the first 4096 x 4096 F16 delta took ~1 s that
     * way, docs/benchmarks.md, "Extract: the first delta"). The rows are split over the cores
     * ({@link RowParts}; the models are mapped in shared arenas): after the first module nothing
     * else runs meanwhile (11008 x 4096 F16: the second core sat idle for the ~60 ms this took
     * on one).
     */
    private static double delta(TensorView tuned, TensorView base, ElementType type, int rows, int cols, float[] d) {
        return RowParts.sum(rows, cols, true, (from, to) -> deltaRows(tuned, base, type, cols, d, from, to));
    }

    /** Rows from..to of {@link #delta}; returns their squared norm. */
    private static double deltaRows(TensorView tuned, TensorView base, ElementType type, int cols, float[] d,
                                    int from, int to) {
        float[] row = new float[cols];
        short[] bits = new short[cols];
        long rowBytes = (long) cols * type.byteSize();
        FloatKernels plain = Kernels.scalar();
        double norm2 = 0;
        for (int i = from; i < to; i++) {
            Decode.toFloat(tuned.data(), i * rowBytes, type, d, i * cols, cols, bits);
            Decode.toFloat(base.data(), i * rowBytes, type, row, 0, cols, bits);
            subtract(row, d, i * cols, cols);
            norm2 += plain.sumOfSquares(d, i * cols, cols);
        }
        return norm2;
    }

    /** d[off + p] -= x[p]: the same rounding as tuned - base element by element. */
    private static void subtract(float[] x, float[] d, int off, int n) {
        for (int p = 0; p < n; p++) {
            d[off + p] -= x[p];
        }
    }

    /** Writes the adapter folder atomically (nothing is left at --out on failure); returns the weights' size. */
    private static long write(ExtractRequest req, List<Factors> factors, List<Path> inputs) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, float[]> data = new HashMap<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Factors f : factors) {
            String prefix = "base_model.model." + f.module();
            specs.add(new TensorSpec(prefix + ".lora_A.weight", f.dtype(), new long[] {f.rank(), f.cols()}));
            specs.add(new TensorSpec(prefix + ".lora_B.weight", f.dtype(), new long[] {f.rows(), f.rank()}));
            data.put(prefix + ".lora_A.weight", f.a());
            data.put(prefix + ".lora_B.weight", f.b());
            ranks.put(f.module(), f.rank());
        }
        long[] bytes = new long[1];
        OutputFolder.write(req.out(), req.force(), inputs, dir -> {
            Path model = dir.resolve(Safetensors.ADAPTER_FILE);
            SafetensorsWriter.write(model, specs, SafetensorsWriter.PT_METADATA, inputs,
                    (spec, dst) -> Decode.store(data.get(spec.name()), dst, elementType(spec.dtype())));
            Files.writeString(dir.resolve("adapter_config.json"), ExtractConfig.json(req.base().toString(), req.targets(), ranks));
            bytes[0] = Files.size(model);
        });
        return bytes[0];
    }
}
