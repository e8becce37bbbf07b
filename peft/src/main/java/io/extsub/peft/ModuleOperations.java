package io.extsub.peft;

import io.extsub.engine.ElementType;
import io.extsub.engine.extsub.DegenerateRows;
import io.extsub.engine.extsub.DenseRowExtSub;
import io.extsub.engine.extsub.ExtSubResult;
import io.extsub.engine.extsub.LowRankExtSub;
import io.extsub.engine.extsub.LowRankOperand;
import io.extsub.engine.lowrank.LowRankPair;
import io.extsub.engine.lowrank.Recompression;
import io.extsub.engine.lowrank.Truncation;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One module's operation, by PEFT type. LoRA results are exact rank r1+r2 pairs with every
 * scaling folded into B (the written config makes PEFT's scaling 1); IA3 works on
 * d = l - 1; prefix tuning on head vectors. See docs/algorithm.md.
 */
final class ModuleOperations {
    private ModuleOperations() {}

    static ModuleResult apply(ModulePair pair, Operation op, Optional<RankLimit> limit, Optional<OutputDType> dtype) {
        return switch (pair.expert()) {
            case AdapterModule.Lora e -> lora(e, (AdapterModule.Lora) pair.anti(), op, limit, dtype);
            case AdapterModule.Ia3 e -> ia3(e, (AdapterModule.Ia3) pair.anti(), op, dtype);
            case AdapterModule.Prefix e -> prefix(e, (AdapterModule.Prefix) pair.anti(), op, dtype);
        };
    }

    private static ElementType outType(io.extsub.safetensors.TensorView expertTensor, Optional<OutputDType> dtype) {
        // F64 adapters are written as F32: PEFT trains and loads adapters in F32/F16/BF16.
        return dtype.map(OutputDType::elementType).orElseGet(() -> switch (Decode.elementType(expertTensor)) {
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            case F32, F64 -> ElementType.F32;
        });
    }

    /** The module as a true delta scale * B A with rows as the layer uses them. */
    static LowRankOperand operand(AdapterModule.Lora m) {
        float[] a = Decode.floats(m.a());
        float[] b = Decode.floats(m.b());
        if (m.loraKind() == LoraKind.EMBEDDING) {
            // delta = (B A)^T = A^T B^T: B' = A^T (num_embeddings x r), A' = B^T (r x dim).
            return new LowRankOperand(m.rows(), m.cols(), m.rank(), Decode.transpose(a, m.rank(), m.rows()),
                    Decode.transpose(b, m.cols(), m.rank()), m.scale());
        }
        return new LowRankOperand(m.rows(), m.cols(), m.rank(), b, a, m.scale());
    }

    private static ModuleResult lora(AdapterModule.Lora e, AdapterModule.Lora a, Operation op,
            Optional<RankLimit> limit, Optional<OutputDType> dtype) {
        LowRankOperand x = operand(e);
        LowRankOperand y = operand(a);
        LowRankPair p;
        DegenerateRows degenerate = DegenerateRows.NONE;
        switch (op) {
            case Operation.ExtSub s -> {
                ExtSubResult r = LowRankExtSub.extSub(x, y, s.alpha());
                p = r.pair();
                degenerate = r.degenerate();
            }
            case Operation.Subtract s -> p = LowRankExtSub.combine(x, y, -s.alpha());
            case Operation.Add s -> p = LowRankExtSub.combine(x, y, s.alpha());
        }
        OptionalDouble error = OptionalDouble.empty();
        if (limit.isPresent()) {
            Truncation t = switch (limit.get()) {
                case RankLimit.Rank r -> Recompression.toRank(p, r.rank());
                case RankLimit.Tolerance t2 -> Recompression.toTolerance(p, t2.tolerance());
            };
            p = t.pair();
            error = OptionalDouble.of(t.relativeError());
        }
        if (p.rank() == 0) {
            // PEFT needs r >= 1: an exactly zero result is written as a zero rank-1 pair.
            p = new LowRankPair(p.rows(), p.cols(), 1, new float[p.rows()], new float[p.cols()]);
        }
        ElementType type = outType(e.a(), dtype);
        List<OutputTensor> tensors = loraTensors(e, p, type);
        ModuleReport report = new ModuleReport(e.key(), e.kind(), e.shape(), e.rank(), a.rank(), p.rank(), degenerate, error);
        return new ModuleResult(report, tensors);
    }

    private static List<OutputTensor> loraTensors(AdapterModule.Lora e, LowRankPair p, ElementType type) {
        List<TensorSpec> specs = loraSpecs(e, p.rank(), type);
        if (e.loraKind() == LoraKind.EMBEDDING) {
            return List.of(tensor(specs.get(0), Decode.transpose(p.b(), p.rows(), p.rank()), type),
                    tensor(specs.get(1), Decode.transpose(p.a(), p.rank(), p.cols()), type));
        }
        return List.of(tensor(specs.get(0), p.a(), type), tensor(specs.get(1), p.b(), type));
    }

    /** Names and shapes of a LoRA module's output tensors at output rank rr: A first, then B. */
    private static List<TensorSpec> loraSpecs(AdapterModule.Lora e, int rr, ElementType type) {
        String k = e.key();
        DType d = AdapterWriter.dtype(type);
        if (e.loraKind() == LoraKind.EMBEDDING) {
            return List.of(new TensorSpec(k + ".lora_embedding_A", d, new long[] {rr, e.rows()}),
                    new TensorSpec(k + ".lora_embedding_B", d, new long[] {e.cols(), rr}));
        }
        long[] aShape = e.a().shape();
        aShape[0] = rr;
        long[] bShape = e.b().shape();
        bShape[1] = rr;
        return List.of(new TensorSpec(k + ".lora_A.weight", d, aShape), new TensorSpec(k + ".lora_B.weight", d, bShape));
    }

    private static OutputTensor tensor(TensorSpec spec, float[] data, ElementType type) {
        return new OutputTensor(spec.name(), spec.shape(), data, type);
    }

    /**
     * The tensors {@link #apply} will produce for {@code pair} without recompression, in the
     * same order, known before any computing: a LoRA result has rank r1 + r2 exactly (at least
     * 2, so never the rank-0 fallback), IA3 and prefix results keep the expert's tensor shape.
     * Lets the writer lay out the file first and write modules as they finish.
     */
    static List<TensorSpec> plannedTensors(ModulePair pair, Optional<OutputDType> dtype) {
        return switch (pair.expert()) {
            case AdapterModule.Lora e -> loraSpecs(e, Math.addExact(e.rank(), ((AdapterModule.Lora) pair.anti()).rank()),
                    outType(e.a(), dtype));
            case AdapterModule.Ia3 e -> List.of(new TensorSpec(e.l().name(), AdapterWriter.dtype(outType(e.l(), dtype)),
                    e.l().shape()));
            case AdapterModule.Prefix e -> List.of(new TensorSpec(e.embeddings().name(),
                    AdapterWriter.dtype(outType(e.embeddings(), dtype)), e.embeddings().shape()));
        };
    }

    private static ModuleResult ia3(AdapterModule.Ia3 e, AdapterModule.Ia3 a, Operation op, Optional<OutputDType> dtype) {
        float[] l1 = Decode.floats(e.l());
        float[] l2 = Decode.floats(a.l());
        int n = l1.length;
        float[] out = new float[n];
        DegenerateRows degenerate = DegenerateRows.NONE;
        switch (op) {
            case Operation.ExtSub s -> {
                // Delta space d = l - 1, the whole vector one row: out = 1 + ExtSub(d1, d2).
                float[] d1 = new float[n], d2 = new float[n], d = new float[n];
                for (int i = 0; i < n; i++) {
                    d1[i] = (float) (l1[i] - 1.0);
                    d2[i] = (float) (l2[i] - 1.0);
                }
                degenerate = DenseRowExtSub.apply(d1, d2, 1, n, s.alpha(), d);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) (1.0 + d[i]);
                }
            }
            case Operation.Subtract s -> ia3Combine(l1, l2, -s.alpha(), out);
            case Operation.Add s -> ia3Combine(l1, l2, s.alpha(), out);
        }
        OutputTensor t = new OutputTensor(e.l().name(), e.l().shape(), out, outType(e.l(), dtype));
        return new ModuleResult(new ModuleReport(e.key(), e.kind(), e.shape(), 0, 0, 0, degenerate, OptionalDouble.empty()),
                List.of(t));
    }

    /** 1 + d1 + c*d2 with d = l - 1, in float64. */
    private static void ia3Combine(float[] l1, float[] l2, double c, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1.0 + (l1[i] - 1.0) + c * (l2[i] - 1.0));
        }
    }

    private static ModuleResult prefix(AdapterModule.Prefix e, AdapterModule.Prefix a, Operation op,
            Optional<OutputDType> dtype) {
        float[] p1 = Decode.floats(e.embeddings());
        float[] p2 = Decode.floats(a.embeddings());
        float[] out = new float[p1.length];
        DegenerateRows degenerate = DegenerateRows.NONE;
        switch (op) {
            case Operation.ExtSub s -> degenerate = DenseRowExtSub.apply(p1, p2,
                    Math.toIntExact(e.geometry().rowCount()), e.geometry().headDim(), s.alpha(), out);
            case Operation.Subtract s -> DenseRowExtSub.combine(p1, p2, p1.length, -s.alpha(), out);
            case Operation.Add s -> DenseRowExtSub.combine(p1, p2, p1.length, s.alpha(), out);
        }
        OutputTensor t = new OutputTensor(e.embeddings().name(), e.embeddings().shape(), out,
                outType(e.embeddings(), dtype));
        return new ModuleResult(new ModuleReport(e.key(), e.kind(), e.shape(), 0, 0, 0, degenerate, OptionalDouble.empty()),
                List.of(t));
    }

    static String shapeString(long[] s) {
        return Arrays.toString(s);
    }
}
