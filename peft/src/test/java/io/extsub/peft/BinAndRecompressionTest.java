package io.extsub.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.peft.Dense.Mat;
import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .bin-only inputs give the same result; --rank / --tol recompression is wired and honest. */
class BinAndRecompressionTest {
    @TempDir
    Path tmp;

    private static Path golden(String caseId) {
        return Golden.root().resolve(caseId);
    }

    /** A copy of an input folder without its .safetensors, so adapter_model.bin is read. */
    private Path binOnly(Path dir, String name) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(name));
        Files.copy(dir.resolve("adapter_config.json"), copy.resolve("adapter_config.json"));
        Files.copy(dir.resolve("adapter_model.bin"), copy.resolve("adapter_model.bin"));
        return copy;
    }

    @Test
    void binOnlyInputsGiveTheSameBytes() throws IOException {
        for (String c : List.of("lora-f32-h64-r8-l2", "lora-bf16-h64-r4-l2", "ia3-f32-l2", "prefix-f32-t8-l2-h4-d64")) {
            Path e = golden(c).resolve("expert"), a = golden(c).resolve("anti_expert");
            Path viaSt = tmp.resolve(c + "-st"), viaBin = tmp.resolve(c + "-bin");
            AdapterArithmetic.run(OperationRequest.of(e, a, viaSt, new Operation.ExtSub(0.5)), ProgressListener.NONE);
            OperationReport r = AdapterArithmetic.run(OperationRequest.of(binOnly(e, c + "-e"), binOnly(a, c + "-a"), viaBin,
                    new Operation.ExtSub(0.5)), ProgressListener.NONE);
            assertTrue(r.moduleCount() > 0);
            assertArrayEquals(Files.readAllBytes(viaSt.resolve("adapter_model.safetensors")),
                    Files.readAllBytes(viaBin.resolve("adapter_model.safetensors")), c);
            assertArrayEquals(Files.readAllBytes(viaSt.resolve("adapter_config.json")),
                    Files.readAllBytes(viaBin.resolve("adapter_config.json")), c);
        }
    }

    @Test
    void inspectReadsBinOnlyFolders() throws IOException {
        AdapterSummary s = AdapterInspector.inspect(binOnly(golden("lora-f32-h64-r8-l2").resolve("expert"), "x"));
        assertEquals(PeftType.LORA, s.peftType());
        assertEquals(8, s.r().getAsInt());
        assertEquals(16.0, s.loraAlpha().getAsDouble());
        assertTrue(s.weightsFile().toString().endsWith("adapter_model.bin"));
        assertEquals(8, s.tensors().size());
        assertEquals(4, s.moduleScaling().size());
        s.moduleScaling().values().forEach(v -> assertEquals(2.0, v));
    }

    @Test
    void recompressionToRankReportsTheTrueError() throws IOException {
        Path c = golden("lora-f32-h64-r8-l2");
        Path exact = tmp.resolve("exact"), cut = tmp.resolve("cut");
        List<String> done = new CopyOnWriteArrayList<>();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void started(int total) {
                assertEquals(4, total);
            }

            @Override
            public void moduleDone(String module, int n, int total) {
                done.add(n + "/" + total);
            }
        };
        AdapterArithmetic.run(OperationRequest.of(c.resolve("expert"), c.resolve("anti_expert"), exact,
                new Operation.ExtSub(1)), progress);
        assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), done);
        OperationReport r = AdapterArithmetic.run(new OperationRequest(c.resolve("expert"), c.resolve("anti_expert"), cut,
                new Operation.ExtSub(1), Optional.empty(), false, Optional.of(new RankLimit.Rank(6))), ProgressListener.NONE);
        GoldenLoraTest.Adapter x = GoldenLoraTest.Adapter.read(exact);
        GoldenLoraTest.Adapter y = GoldenLoraTest.Adapter.read(cut);
        for (ModuleReport m : r.modules()) {
            assertEquals(6, m.outputRank());
            assertEquals(6, y.rank(m.module()));
            double reported = m.relativeError().orElseThrow();
            double actual = frobeniusDiff(x.delta(m.module()), y.delta(m.module()));
            assertEquals(actual, reported, 1e-4 * Math.max(actual, 1e-3), m.module());
            assertTrue(reported > 0.01, "rank 16 -> 6 drops energy");
        }
        JsonObject json = r.toJson();
        assertEquals(4, json.getLong("module_count").getAsLong());
        assertEquals("ext-sub", json.getString("operation").orElseThrow());
    }

    @Test
    void toleranceGivesPerModuleRanksInThePatterns() throws IOException {
        Path c = golden("lora-f32-h64-r8-l2");
        Path out = tmp.resolve("tol");
        OperationReport r = AdapterArithmetic.run(new OperationRequest(c.resolve("expert"), c.resolve("anti_expert"), out,
                new Operation.Subtract(1), Optional.of(OutputDType.F32), false, Optional.of(new RankLimit.Tolerance(0.3))),
                ProgressListener.NONE);
        JsonObject cfg = Golden.json(out.resolve("adapter_config.json"));
        Map<String, Mat> ts = Dense.read(out.resolve("adapter_model.safetensors"));
        LoraScaling s = LoraScaling.of(AdapterConfig.read(out));
        for (ModuleReport m : r.modules()) {
            assertTrue(m.relativeError().orElseThrow() <= 0.3);
            assertTrue(m.outputRank() < 16);
            String name = KeyName.modelName(m.module());
            assertEquals(ts.get(m.module() + ".lora_A.weight").rows(), s.rankFor(name));
            assertEquals(1.0, s.scaleFor(name));
        }
        assertTrue(cfg.has("rank_pattern"));
    }

    private static double frobeniusDiff(Mat exact, Mat approx) {
        double d = 0, n = 0;
        for (int i = 0; i < exact.v().length; i++) {
            double e = exact.v()[i] - approx.v()[i];
            d += e * e;
            n += exact.v()[i] * exact.v()[i];
        }
        return Math.sqrt(d / n);
    }
}
