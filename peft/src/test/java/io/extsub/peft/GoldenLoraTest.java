package io.extsub.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.extsub.peft.Dense.Mat;
import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every LoRA case and run of the golden data: the effective delta of our output (PEFT
 * scaling x B A, float64) against the reference's (expert scale x expected lora_B). Where the
 * reference is undefined (NaN rows), crashes (grouped-query shapes) or ignores the
 * anti-expert's scaling, our rule is checked against an independent float64 evaluation of the
 * row-projection definition instead, and the test asserts that the reference does differ.
 */
class GoldenLoraTest {
    /** Largest |diff| / tolerance seen in one run, printed so the margin is visible in the log. */
    static final java.util.concurrent.atomic.DoubleAccumulator WORST = new java.util.concurrent.atomic.DoubleAccumulator(Math::max, 0);

    static List<Arguments> runs() throws IOException {
        return Golden.runs("LORA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void reproducesReference(Golden.Run run, @TempDir Path tmp) throws IOException {
        WORST.reset();
        Path out = tmp.resolve("out");
        OperationReport report = AdapterArithmetic.run(OperationRequest.of(run.caseDir().resolve("expert"),
                run.caseDir().resolve("anti_expert"), out, run.operation()), ProgressListener.NONE);

        Adapter e = Adapter.read(run.caseDir().resolve("expert"));
        Adapter a = Adapter.read(run.caseDir().resolve("anti_expert"));
        Adapter ours = Adapter.read(out);
        assertTrue(ours.config.getObject("rank_pattern").orElseThrow().members().isEmpty());
        assertEquals(e.config.get("target_modules"), ours.config.get("target_modules"));
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("adapter_model.safetensors"))) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(e.dtype, f.tensors().getFirst().dtype().name());
        }
        Map<String, Mat> expected = run.ok()
                ? Dense.read(run.caseDir().resolve(run.json().getString("expected").orElseThrow()))
                : Map.of();
        Map<String, Set<Integer>> nanRows = nanRows(run.json());
        boolean sameScale = e.scale == a.scale;
        double referenceVsTrue = 0;
        int checkedRows = 0;
        assertEquals(e.modules().size(), report.moduleCount());

        for (String m : e.modules()) {
            Mat w1 = e.delta(m), w2 = a.delta(m), got = ours.delta(m);
            assertEquals(e.rank(m) + a.rank(m), ours.rank(m), m + ": output rank r1 + r2");
            Mat truth = switch (run.method()) {
                case "ext-sub" -> Dense.extSubRows(w1, w2, w1.cols(), run.alpha());
                case "subtraction" -> Dense.combine(w1, w2, -run.alpha());
                default -> Dense.combine(w1, w2, run.alpha());
            };
            Mat ref = run.ok() ? Dense.scaled(e.scale, expected.get(m + ".lora_B.weight")) : null;
            for (int i = 0; i < w1.rows(); i++) {
                boolean nan = nanRows.getOrDefault(m + ".lora_B.weight", Set.of()).contains(i);
                if (run.ok() && sameScale && !nan) {
                    assertRowClose(ref, got, i, e.dtype, m);
                } else {
                    assertRowClose(truth, got, i, e.dtype, m);
                    if (nan) {
                        assertTrue(Double.isNaN(ref.get(i, 0)), "reference row " + i + " is NaN");
                    } else if (ref != null) {
                        for (int j = 0; j < ref.cols(); j++) {
                            referenceVsTrue = Math.max(referenceVsTrue, Math.abs(ref.get(i, j) - truth.get(i, j)));
                        }
                    }
                }
                checkedRows++;
            }
        }
        assertTrue(checkedRows > 0);
        System.out.printf("%s: worst diff/tolerance %.3f, reference vs true-delta %.3g%n", run, WORST.get(), referenceVsTrue);
        if (run.ok() && !sameScale) {
            // The reference treats the anti-expert as if it had the expert's scale: it must differ.
            assertTrue(referenceVsTrue > 1e-3, "reference should differ from the true-delta result, max diff " + referenceVsTrue);
        }
        if (!nanRows.isEmpty() && run.method().equals("ext-sub")) {
            assertTrue(report.degenerate().zeroAnti() >= 1, "degenerate rows are counted");
        }
    }

    /** |got - want| within 2e-5 of the row's magnitude (F32), or 4 ulps of the dtype at it (F16/BF16). */
    static void assertRowClose(Mat want, Mat got, int i, String dtype, String module) {
        double scale = Math.max(want.rowMaxAbs(i), 1e-30);
        double tol = switch (dtype) {
            case "F32" -> 2e-5 * scale;
            case "F16" -> 4 * Math.scalb(1.0, Math.getExponent(scale) - 10);
            case "BF16" -> 4 * Math.scalb(1.0, Math.getExponent(scale) - 7);
            default -> throw new IllegalArgumentException(dtype);
        };
        for (int j = 0; j < want.cols(); j++) {
            double d = Math.abs(want.get(i, j) - got.get(i, j));
            WORST.accumulate(d / tol);
            if (!(d <= tol)) {
                fail(module + " row " + i + " col " + j + ": want " + want.get(i, j) + " got " + got.get(i, j)
                        + " (diff " + d + ", tol " + tol + ", row max " + scale + ")");
            }
        }
    }

    static Map<String, Set<Integer>> nanRows(JsonObject run) {
        Map<String, Set<Integer>> out = new HashMap<>();
        for (JsonValue v : run.getArray("nan_rows").map(x -> x.elements()).orElse(List.of())) {
            JsonObject o = (JsonObject) v;
            Set<Integer> rows = new HashSet<>();
            for (JsonValue r : o.getArray("rows").orElseThrow().elements()) {
                rows.add((int) ((io.extsub.safetensors.json.JsonNumber) r).longValueExact());
            }
            out.put(o.getString("key").orElseThrow(), rows);
        }
        return out;
    }

    /** A LoRA adapter folder read by the test itself: uniform r and lora_alpha (the golden cases use no patterns). */
    record Adapter(JsonObject config, double scale, String dtype, Map<String, Mat> tensors) {
        static Adapter read(Path dir) throws IOException {
            JsonObject c = Golden.json(dir.resolve("adapter_config.json"));
            assertFalse(c.getBoolean("use_rslora").orElse(false));
            assertTrue(c.getObject("rank_pattern").map(o -> o.members().isEmpty()).orElse(true));
            double scale = c.getNumber("lora_alpha").orElseThrow() / c.getNumber("r").orElseThrow();
            Path st = dir.resolve("adapter_model.safetensors");
            String dtype;
            try (SafetensorsFile f = SafetensorsFile.open(st)) {
                dtype = f.tensors().getFirst().dtype().name();
            }
            return new Adapter(c, scale, dtype, Dense.read(st));
        }

        List<String> modules() {
            return tensors.keySet().stream().filter(k -> k.endsWith(".lora_A.weight"))
                    .map(k -> k.substring(0, k.length() - ".lora_A.weight".length())).toList();
        }

        int rank(String m) {
            return tensors.get(m + ".lora_A.weight").rows();
        }

        Mat delta(String m) {
            return Dense.product(scale, tensors.get(m + ".lora_B.weight"), tensors.get(m + ".lora_A.weight"));
        }
    }
}
