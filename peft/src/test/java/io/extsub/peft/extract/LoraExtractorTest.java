package io.extsub.peft.extract;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.ElementType;
import io.extsub.engine.gemm.RowParts;
import io.extsub.engine.simd.Kernels;
import io.extsub.peft.ProgressListener;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.Safetensors;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoraExtractorTest {
    static final String Q = "model.layers.0.self_attn.q_proj";
    static final String V = "model.layers.0.self_attn.v_proj";
    static final String K = "model.layers.0.self_attn.k_proj";
    static final String NORM = "model.layers.0.input_layernorm";

    @TempDir
    Path dir;

    /** rows x cols matrix of exact rank r: sum of r outer products with weights 2^-i (float64). */
    static double[] lowRank(SplittableRandom rng, int rows, int cols, int r) {
        double[] d = new double[rows * cols];
        for (int t = 0; t < r; t++) {
            double[] u = new double[rows];
            double[] v = new double[cols];
            for (int i = 0; i < rows; i++) {
                u[i] = rng.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                v[j] = rng.nextGaussian() * Math.pow(2, -t) * 0.01;
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    d[i * cols + j] += u[i] * v[j];
                }
            }
        }
        return d;
    }

    static ElementType type(DType d) {
        return switch (d) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            default -> throw new IllegalArgumentException(d.toString());
        };
    }

    static void writeModel(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes, DType dtype) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        tensors.forEach((k, v) -> specs.add(new TensorSpec(k + ".weight", dtype, shapes.get(k))));
        SafetensorsWriter.write(file, specs, (spec, dst) -> {
            float[] x = tensors.get(spec.name().substring(0, spec.name().length() - ".weight".length()));
            Kernels.get().fromFloat(x, 0, dst, 0, type(dtype), x.length);
        });
    }

    /** Writes base and tuned; q gets a rank-3 delta, v a rank-5 delta, k a delta but is not targeted. */
    Map<String, double[]> models(DType dtype) throws IOException {
        SplittableRandom rng = new SplittableRandom(77);
        Map<String, long[]> shapes = Map.of(Q, new long[] {48, 40}, V, new long[] {24, 40}, K, new long[] {24, 40}, NORM, new long[] {40});
        Map<String, float[]> base = new LinkedHashMap<>();
        Map<String, float[]> tuned = new LinkedHashMap<>();
        Map<String, double[]> deltas = new LinkedHashMap<>();
        for (String name : List.of(Q, K, V, NORM)) {
            long[] s = shapes.get(name);
            int rows = (int) s[0];
            int cols = s.length == 2 ? (int) s[1] : 1;
            float[] b = new float[rows * cols];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextGaussian();
            }
            double[] d = lowRank(rng, rows, cols, name.equals(V) ? 5 : 3);
            float[] t = new float[b.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) (b[i] + d[i]);
            }
            base.put(name, b);
            tuned.put(name, t);
        }
        writeModel(dir.resolve("base.safetensors"), base, shapes, dtype);
        writeModel(dir.resolve("tuned.safetensors"), tuned, shapes, dtype);
        // The delta of the stored values, decoded independently of the extractor.
        try (TensorSource bs = Safetensors.open(dir.resolve("base.safetensors"));
             TensorSource ts = Safetensors.open(dir.resolve("tuned.safetensors"))) {
            for (String name : List.of(Q, V)) {
                deltas.put(name, storedDelta(ts.find(name + ".weight").orElseThrow(), bs.find(name + ".weight").orElseThrow()));
            }
        }
        return deltas;
    }

    static double[] storedDelta(TensorView t, TensorView b) {
        int n = (int) t.elementCount();
        ElementType type = type(t.dtype());
        float[] x = new float[n];
        float[] y = new float[n];
        Kernels.scalar().toFloat(t.data(), 0, type, x, 0, n);
        Kernels.scalar().toFloat(b.data(), 0, type, y, 0, n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (double) x[i] - y[i];
        }
        return d;
    }

    /** ||delta - B A||_F / ||delta||_F with B, A read back from the written adapter. */
    static double relativeError(TensorSource out, String module, double[] delta, int rows, int cols) {
        TensorView a = out.find("base_model.model." + module + ".lora_A.weight").orElseThrow();
        TensorView b = out.find("base_model.model." + module + ".lora_B.weight").orElseThrow();
        int r = (int) a.dim(0);
        assertEquals(cols, a.dim(1));
        assertEquals(rows, b.dim(0));
        assertEquals(r, b.dim(1));
        float[] af = new float[r * cols];
        float[] bf = new float[rows * r];
        ElementType type = type(a.dtype());
        Kernels.scalar().toFloat(a.data(), 0, type, af, 0, af.length);
        Kernels.scalar().toFloat(b.data(), 0, type, bf, 0, bf.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int t = 0; t < r; t++) {
                    s += (double) bf[i * r + t] * af[t * cols + j];
                }
                double d = delta[i * cols + j];
                num += (d - s) * (d - s);
                den += d * d;
            }
        }
        return Math.sqrt(num / den);
    }

    @Test
    void fixedRankRecoversLowRankDeltas() throws Exception {
        Map<String, double[]> deltas = models(DType.F32);
        Path out = dir.resolve("out");
        ExtractReport report = LoraExtractor.extract(new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out, new RankChoice.Fixed(5), List.of("q_proj", "v_proj"), null, 1, false, ProgressListener.NONE));
        assertEquals(List.of(Q, V), report.modules().stream().map(ExtractedModule::module).toList());
        try (TensorSource s = Safetensors.open(out)) {
            assertEquals(4, s.tensors().size(), "only q_proj and v_proj: " + s.tensors());
            // Rank 5 holds both deltas exactly (q has rank 3), up to float32 rounding of the inputs.
            assertTrue(relativeError(s, Q, deltas.get(Q), 48, 40) < 1e-4);
            assertTrue(relativeError(s, V, deltas.get(V), 24, 40) < 1e-4);
        }
        JsonObject cfg = (JsonObject) Json.parse(Files.readString(out.resolve("adapter_config.json")));
        assertEquals(5, cfg.getLong("r").orElseThrow());
        assertEquals(5, cfg.getLong("lora_alpha").orElseThrow());
        assertEquals("LORA", cfg.getString("peft_type").orElseThrow());
        assertEquals(0, cfg.getObject("rank_pattern").orElseThrow().size());
    }

    /**
     * A delta large enough to be formed in parts (one per core), then a smaller one in the same
     * buffer: both rank-3 deltas come back exactly, and the reported errors (from the norm
     * summed in parts) equal the actual ones. An odd row count puts the split inside the rows.
     */
    @Test
    void largeDeltaFormedInPartsThenASmallerOneInTheSameBuffer() throws Exception {
        int rows = 1025;
        int cols = 1024;
        assertTrue((long) rows * cols >= RowParts.PARALLEL_MIN_ELEMENTS);
        SplittableRandom rng = new SplittableRandom(5);
        Map<String, long[]> shapes = Map.of(Q, new long[] {rows, cols}, V, new long[] {24, 40});
        Map<String, float[]> base = new LinkedHashMap<>();
        Map<String, float[]> tuned = new LinkedHashMap<>();
        for (String name : List.of(Q, V)) {
            int r = (int) shapes.get(name)[0];
            int c = (int) shapes.get(name)[1];
            double[] d = lowRank(rng, r, c, 3);
            float[] b = new float[r * c];
            float[] t = new float[r * c];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextGaussian();
                t[i] = (float) (b[i] + d[i]);
            }
            base.put(name, b);
            tuned.put(name, t);
        }
        writeModel(dir.resolve("big-base.safetensors"), base, shapes, DType.F32);
        writeModel(dir.resolve("big-tuned.safetensors"), tuned, shapes, DType.F32);
        Path out = dir.resolve("big-out");
        ExtractReport report = LoraExtractor.extract(new ExtractRequest(dir.resolve("big-base.safetensors"),
                dir.resolve("big-tuned.safetensors"), out, new RankChoice.Fixed(2), List.of("q_proj", "v_proj"), DType.F32,
                1, false, ProgressListener.NONE));
        try (TensorSource bs = Safetensors.open(dir.resolve("big-base.safetensors"));
             TensorSource ts = Safetensors.open(dir.resolve("big-tuned.safetensors"));
             TensorSource s = Safetensors.open(out)) {
            for (ExtractedModule m : report.modules()) {
                double[] delta = storedDelta(ts.find(m.module() + ".weight").orElseThrow(), bs.find(m.module() + ".weight").orElseThrow());
                double actual = relativeError(s, m.module(), delta, m.rows(), m.cols());
                assertEquals(actual, m.relativeError(), 1e-4, m.module() + " reported error");
                assertTrue(actual > 0.01, m.module() + ": rank 2 cannot hold a rank-3 delta");
            }
        }
        Path exact = dir.resolve("big-exact");
        LoraExtractor.extract(new ExtractRequest(dir.resolve("big-base.safetensors"), dir.resolve("big-tuned.safetensors"),
                exact, new RankChoice.Fixed(3), List.of("q_proj", "v_proj"), DType.F32, 1, false, ProgressListener.NONE));
        try (TensorSource bs = Safetensors.open(dir.resolve("big-base.safetensors"));
             TensorSource ts = Safetensors.open(dir.resolve("big-tuned.safetensors"));
             TensorSource s = Safetensors.open(exact)) {
            for (String module : List.of(Q, V)) {
                double[] delta = storedDelta(ts.find(module + ".weight").orElseThrow(), bs.find(module + ".weight").orElseThrow());
                int r = (int) shapes.get(module)[0];
                int c = (int) shapes.get(module)[1];
                assertTrue(relativeError(s, module, delta, r, c) < 1e-4, module + ": rank 3 holds the delta");
            }
        }
    }

    @Test
    void truncationErrorIsReportedAndTolerancePicksPerModuleRanks() throws Exception {
        Map<String, double[]> deltas = models(DType.F32);
        Path out = dir.resolve("out2");
        ExtractReport fixed = LoraExtractor.extract(new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out, new RankChoice.Fixed(2), List.of("q_proj", "v_proj"), DType.F32, 1, false, ProgressListener.NONE));
        try (TensorSource s = Safetensors.open(out)) {
            for (ExtractedModule m : fixed.modules()) {
                double actual = relativeError(s, m.module(), deltas.get(m.module()), m.rows(), m.cols());
                assertEquals(actual, m.relativeError(), 1e-3, m.module());
                assertTrue(actual > 0.01, "rank 2 cannot hold rank 3 or 5");
            }
        }
        Path out3 = dir.resolve("out3");
        ExtractReport tol = LoraExtractor.extract(new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out3, new RankChoice.Tolerance(1e-3, 20), List.of("q_proj", "v_proj"), null, 1, false, ProgressListener.NONE));
        assertEquals(3, tol.modules().get(0).rank(), "q_proj");
        assertEquals(5, tol.modules().get(1).rank(), "v_proj");
        JsonObject cfg = (JsonObject) Json.parse(Files.readString(out3.resolve("adapter_config.json")));
        JsonObject rp = cfg.getObject("rank_pattern").orElseThrow();
        assertEquals(1, rp.size(), "one module differs from the common rank: " + rp);
        int r = (int) cfg.getLong("r").orElseThrow();
        int other = (int) rp.getLong(rp.members().keySet().iterator().next()).orElseThrow();
        assertEquals(java.util.Set.of(3, 5), java.util.Set.of(r, other));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BF16", "F16"})
    void halfPrecisionModelsGiveTheDeltaOfTheStoredValues(DType dtype) throws Exception {
        Map<String, double[]> deltas = models(dtype);
        Path out = dir.resolve("outbf");
        LoraExtractor.extract(new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out, new RankChoice.Fixed(24), List.of("q_proj", "v_proj"), DType.F32, 1, false, ProgressListener.NONE));
        try (TensorSource s = Safetensors.open(out)) {
            // 16-bit rounding makes the stored delta full rank; rank 24 of 24 rows holds v exactly.
            assertTrue(relativeError(s, V, deltas.get(V), 24, 40) < 1e-4);
        }
    }

    @Test
    void shapeMismatchNamesTheTensor() throws Exception {
        models(DType.F32);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put(Q, new float[40 * 48]);
        writeModel(dir.resolve("other.safetensors"), t, Map.of(Q, new long[] {40, 48}), DType.F32);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> LoraExtractor.extract(new ExtractRequest(
                dir.resolve("base.safetensors"), dir.resolve("other.safetensors"), dir.resolve("o"), new RankChoice.Fixed(2),
                List.of("q_proj"), null, 1, false, ProgressListener.NONE)));
        assertTrue(e.getMessage().contains(Q + ".weight"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o").resolve("adapter_model.safetensors")));
    }

    @Test
    void nonFiniteDeltaNamesTheTensor() throws Exception {
        models(DType.F32);
        Map<String, float[]> t = new LinkedHashMap<>();
        float[] x = new float[48 * 40];
        x[7] = Float.NaN;
        t.put(Q, x);
        writeModel(dir.resolve("nan.safetensors"), t, Map.of(Q, new long[] {48, 40}), DType.F32);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> LoraExtractor.extract(new ExtractRequest(
                dir.resolve("base.safetensors"), dir.resolve("nan.safetensors"), dir.resolve("never").resolve("made"),
                new RankChoice.Fixed(2), List.of("q_proj"), null, 1, false, ProgressListener.NONE)));
        assertTrue(e.getMessage().contains(Q + ".weight") && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("never")), "a failed run leaves no output folder, nor a parent it made");
    }

    @Test
    void outputIsReplacedWholeWithForceAndNeverContainsAnInput() throws Exception {
        models(DType.F32);
        Path out = dir.resolve("outf");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stale.txt"), "from an earlier run");
        ExtractRequest noForce = new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out, new RankChoice.Fixed(3), List.of("q_proj"), null, 1, false, ProgressListener.NONE);
        IOException e = assertThrows(IOException.class, () -> LoraExtractor.extract(noForce));
        assertTrue(e.getMessage().contains("not empty") && e.getMessage().contains("--force"), e.getMessage());
        LoraExtractor.extract(new ExtractRequest(dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"),
                out, new RankChoice.Fixed(3), List.of("q_proj"), null, 1, true, ProgressListener.NONE));
        try (var files = Files.list(out)) {
            assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "--force replaces the folder");
        }
        // The folder holding the models, even with --force: refused before any work, nothing written.
        List<String> before;
        try (var files = Files.list(dir)) {
            before = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        IOException inside = assertThrows(IOException.class, () -> LoraExtractor.extract(new ExtractRequest(
                dir.resolve("base.safetensors"), dir.resolve("tuned.safetensors"), dir, new RankChoice.Fixed(3),
                List.of("q_proj"), null, 1, true, ProgressListener.NONE)));
        assertTrue(inside.getMessage().contains("contains the input"), inside.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(before, files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void targetMatching() {
        assertTrue(LoraExtractor.matches(Q, List.of("q_proj")));
        assertTrue(LoraExtractor.matches(Q, List.of("self_attn.q_proj")));
        assertFalse(LoraExtractor.matches("model.layers.0.self_attn.xq_proj", List.of("q_proj")));
    }
}
