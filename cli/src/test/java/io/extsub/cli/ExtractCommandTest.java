package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.extsub.engine.ElementType;
import io.extsub.engine.simd.Kernels;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.Safetensors;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractCommandTest {
    static final String Q = "model.layers.0.self_attn.q_proj.weight";

    @TempDir
    Path dir;

    static void write(Path file, int rows, int cols, long seed, float shift) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian() + shift * (i % cols) * (i / cols) / (rows * cols); // rank-1 shift
        }
        SafetensorsWriter.write(file, List.of(new TensorSpec(Q, DType.F32, new long[] {rows, cols})),
                (spec, dst) -> Kernels.get().fromFloat(x, 0, dst, 0, ElementType.F32, x.length));
    }

    @Test
    void extractsARankOneFineTune() throws Exception {
        write(dir.resolve("base.safetensors"), 20, 12, 1, 0f);
        write(dir.resolve("tuned.safetensors"), 20, 12, 1, 3f);
        CliRun r = CliRun.of("extract", "--base", dir.resolve("base.safetensors").toString(), "--tuned",
                dir.resolve("tuned.safetensors").toString(), "--out", dir.resolve("out").toString(), "--rank", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("extracted 1 module into"), r.err());
        try (TensorSource s = Safetensors.open(dir.resolve("out"))) {
            assertEquals(12, s.find("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").orElseThrow().dim(1));
            assertEquals(20, s.find("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").orElseThrow().dim(0));
        }
        assertTrue(Files.readString(dir.resolve("out/adapter_config.json")).contains("\"lora_alpha\": 1"));
    }

    @Test
    void jsonReportsEveryModuleOnStdout() throws Exception {
        write(dir.resolve("base.safetensors"), 20, 12, 1, 0f);
        write(dir.resolve("tuned.safetensors"), 20, 12, 1, 3f);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("extract", "--base", dir.resolve("base.safetensors").toString(), "--tuned",
                dir.resolve("tuned.safetensors").toString(), "--out", out.toString(), "--tol", "0.01", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonObject report = (JsonObject) Json.parse(r.out());
        assertEquals("extract", report.getString("operation").orElseThrow());
        assertEquals(out.toString(), report.getString("output").orElseThrow());
        assertEquals(1, report.getLong("module_count").orElseThrow());
        assertEquals(Files.size(out.resolve("adapter_model.safetensors")), report.getLong("bytes_written").orElseThrow());
        JsonObject m = (JsonObject) report.getArray("modules").orElseThrow().get(0);
        assertEquals("model.layers.0.self_attn.q_proj", m.getString("module").orElseThrow());
        // the delta is a rank-1 shift: --tol 0.01 picks rank 1, as the written factors say
        long rank = m.getLong("rank").orElseThrow();
        assertEquals(1, rank);
        try (TensorSource s = Safetensors.open(out)) {
            assertEquals(rank, s.find("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").orElseThrow().dim(0));
        }
        double err = m.getNumber("relative_error").orElseThrow();
        assertTrue(err >= 0 && err <= 0.01, "relative_error " + err);
        assertTrue(r.err().contains("extracted 1 module into"), "the human summary stays on stderr: " + r.err());
    }

    @Test
    void shapeMismatchExits3NamingTheTensor() throws Exception {
        write(dir.resolve("base.safetensors"), 20, 12, 1, 0f);
        write(dir.resolve("tuned.safetensors"), 12, 20, 1, 0f);
        CliRun r = CliRun.of("extract", "--base", dir.resolve("base.safetensors").toString(), "--tuned",
                dir.resolve("tuned.safetensors").toString(), "--out", dir.resolve("out").toString(), "--rank", "1");
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.singleErrorLine().contains(Q), r.err());
    }

    @Test
    void rankAndTolExcludeEachOther() {
        CliRun r = CliRun.of("extract", "--base", "a", "--tuned", "b", "--out", "c", "--rank", "1", "--tol", "0.1");
        assertEquals(2, r.exitCode(), r::toString);
        CliRun none = CliRun.of("extract", "--base", "a", "--tuned", "b", "--out", "c");
        assertEquals(2, none.exitCode(), none::toString);
    }
}
