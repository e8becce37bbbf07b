package io.extsub.property.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.peft.AdapterArithmetic;
import io.extsub.peft.Operation;
import io.extsub.peft.OperationReport;
import io.extsub.peft.OperationRequest;
import io.extsub.peft.ProgressListener;
import io.extsub.property.peft.AdapterFolders.Tensor;
import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end through the peft API: random LoRA adapter pairs (linear, conv and embedding
 * modules; random r, lora_alpha, use_rslora, rank_pattern and alpha_pattern; the
 * adapter-name key form; a modules_to_save tensor), each operation, then the written folder
 * is read back with PEFT's scaling rule and its effective deltas compared with the dense
 * row-by-row formula (EJML) on the inputs' true deltas.
 */
class AdapterArithmeticVsEjmlTest {

    static LongStream seeds() {
        return LongStream.range(0, 24).map(i -> 0xada0000L + i);
    }

    /** A module: name in the model, kind, out/in sizes (embedding: num_embeddings, dim), kernel. */
    record Module(String name, String kind, int out, int in, int kernel) {}

    static List<Module> modules(SplittableRandom rnd) {
        List<Module> ms = new ArrayList<>();
        int layers = 1 + rnd.nextInt(3);
        int h = 4 + rnd.nextInt(20);
        for (int l = 0; l < layers; l++) {
            ms.add(new Module("model.layers." + l + ".self_attn.q_proj", "linear", h, h, 0));
            ms.add(new Module("model.layers." + l + ".self_attn.v_proj", "linear", 2 + rnd.nextInt(h), h, 0));
        }
        if (rnd.nextBoolean()) {
            ms.add(new Module("model.embed_tokens", "embedding", 10 + rnd.nextInt(30), h, 0));
        }
        if (rnd.nextBoolean()) {
            ms.add(new Module("model.conv", "conv", 3 + rnd.nextInt(6), 2 + rnd.nextInt(3), 1 + rnd.nextInt(3)));
        }
        return ms;
    }

    static JsonObject config(SplittableRandom rnd, List<Module> ms) {
        int r = 1 + rnd.nextInt(6);
        JsonObject.Builder rp = JsonObject.builder();
        JsonObject.Builder ap = JsonObject.builder();
        if (rnd.nextBoolean()) {
            rp.put("v_proj", 1 + rnd.nextInt(6)); // a suffix pattern, as users write them
        }
        if (rnd.nextBoolean()) {
            rp.put(ms.getFirst().name(), 1 + rnd.nextInt(6)); // a full name
        }
        if (rnd.nextBoolean()) {
            ap.put("q_proj", 1 + rnd.nextInt(40));
        }
        return JsonObject.builder()
                .put("peft_type", "LORA").put("base_model_name_or_path", "test/base")
                .put("r", r).put("lora_alpha", 1 + rnd.nextInt(32)).put("use_rslora", rnd.nextBoolean())
                .put("rank_pattern", rp.build()).put("alpha_pattern", ap.build())
                .put("fan_in_fan_out", false).put("target_modules", io.extsub.safetensors.json.JsonArray.EMPTY)
                .build();
    }

    static float[] fill(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    static Map<String, Tensor> tensors(SplittableRandom rnd, JsonObject config, List<Module> ms, boolean adapterName) {
        Map<String, Tensor> ts = new LinkedHashMap<>();
        String tag = adapterName ? ".default" : "";
        for (Module m : ms) {
            int r = AdapterFolders.rank(config, m.name());
            String p = "base_model.model." + m.name();
            switch (m.kind()) {
                case "linear" -> {
                    ts.put(p + ".lora_A" + tag + ".weight", new Tensor(new long[] {r, m.in()}, fill(rnd, r * m.in())));
                    ts.put(p + ".lora_B" + tag + ".weight", new Tensor(new long[] {m.out(), r}, fill(rnd, m.out() * r)));
                }
                case "embedding" -> {
                    ts.put(p + ".lora_embedding_A" + tag, new Tensor(new long[] {r, m.out()}, fill(rnd, r * m.out())));
                    ts.put(p + ".lora_embedding_B" + tag, new Tensor(new long[] {m.in(), r}, fill(rnd, m.in() * r)));
                }
                default -> {
                    int k = m.kernel();
                    ts.put(p + ".lora_A" + tag + ".weight",
                            new Tensor(new long[] {r, m.in(), k, k}, fill(rnd, r * m.in() * k * k)));
                    ts.put(p + ".lora_B" + tag + ".weight", new Tensor(new long[] {m.out(), r, 1, 1}, fill(rnd, m.out() * r)));
                }
            }
        }
        return ts;
    }

    /** The module's true delta with rows as the layer uses them (embedding: (B A)^T). */
    static DMatrixRMaj delta(Map<String, Tensor> ts, JsonObject config, Module m) {
        String p = "base_model.model." + m.name();
        Tensor a = find(ts, p, m.kind().equals("embedding") ? "lora_embedding_A" : "lora_A");
        Tensor b = find(ts, p, m.kind().equals("embedding") ? "lora_embedding_B" : "lora_B");
        int r = (int) a.shape()[0];
        double s = AdapterFolders.scaling(config, m.name());
        if (m.kind().equals("embedding")) {
            DMatrixRMaj ba = DenseExtSub.delta(s, b.data(), a.data(), (int) b.shape()[0], r, (int) a.shape()[1]);
            return CommonOps_DDRM.transpose(ba, null);
        }
        return DenseExtSub.delta(s, b.data(), a.data(), (int) b.shape()[0], r, a.data().length / r);
    }

    static Tensor find(Map<String, Tensor> ts, String prefix, String part) {
        for (String suffix : new String[] {".weight", ".default.weight", "", ".default"}) {
            Tensor t = ts.get(prefix + "." + part + suffix);
            if (t != null) {
                return t;
            }
        }
        throw new AssertionError("no " + prefix + "." + part);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writtenAdapterHasTheDenseResult(long seed, @TempDir Path tmp) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Module> ms = modules(rnd);
        JsonObject c1 = config(rnd, ms), c2 = config(rnd, ms);
        Map<String, Tensor> t1 = tensors(rnd, c1, ms, rnd.nextBoolean());
        Map<String, Tensor> t2 = tensors(rnd, c2, ms, rnd.nextBoolean());
        Tensor kept = new Tensor(new long[] {3, 4}, fill(rnd, 12));
        t1.put("base_model.model.lm_head.modules_to_save.weight", kept);
        AdapterFolders.write(tmp.resolve("e"), c1, t1);
        AdapterFolders.write(tmp.resolve("a"), c2, t2);
        double alpha = rnd.nextDouble() * 2;

        for (Operation op : List.of(new Operation.ExtSub(alpha), new Operation.Subtract(alpha), new Operation.Add(alpha))) {
            Path out = tmp.resolve("out-" + op.name());
            OperationReport report = AdapterArithmetic.run(OperationRequest.of(tmp.resolve("e"), tmp.resolve("a"), out, op),
                    ProgressListener.NONE);
            assertEquals(ms.size(), report.moduleCount());
            assertEquals(List.of("base_model.model.lm_head.modules_to_save.weight"), report.keptModulesToSave());
            JsonObject oc = AdapterFolders.config(out);
            Map<String, Tensor> ot = AdapterFolders.read(out.resolve("adapter_model.safetensors"));
            assertArrayEquals(kept.data(), ot.get("base_model.model.lm_head.modules_to_save.weight").data());
            for (Module m : ms) {
                DMatrixRMaj w1 = delta(t1, c1, m), w2 = delta(t2, c2, m);
                DMatrixRMaj want = switch (op) {
                    case Operation.ExtSub e -> DenseExtSub.extSub(w1, w2, alpha);
                    case Operation.Subtract s -> DenseExtSub.combine(w1, w2, -alpha);
                    case Operation.Add s -> DenseExtSub.combine(w1, w2, alpha);
                };
                DMatrixRMaj got = delta(ot, oc, m);
                double err = DenseExtSub.rowRelativeError(want, got);
                assertTrue(err < 2e-5, "seed " + seed + " " + op.name() + " " + m + ": " + err);
                int r1 = AdapterFolders.rank(c1, m.name()), r2 = AdapterFolders.rank(c2, m.name());
                assertEquals(r1 + r2, AdapterFolders.rank(oc, m.name()), m + " rank in the output config");
            }
        }
    }
}
