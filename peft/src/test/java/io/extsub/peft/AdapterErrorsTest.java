package io.extsub.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs and outputs: one-line errors naming the path, and nothing left behind. */
class AdapterErrorsTest {
    @TempDir
    Path tmp;

    private Path expert() throws IOException {
        return TestAdapters.lora(tmp.resolve("e"), TestAdapters.loraConfig(4, 8, "q_proj", "v_proj"),
                new SplittableRandom(1), 2, 4, 16, 12, "q_proj", "v_proj");
    }

    private Path anti(JsonObject config, int layers, int out, String... targets) throws IOException {
        return TestAdapters.lora(tmp.resolve("a"), config, new SplittableRandom(2), layers, 4, out, 12, targets);
    }

    private AdapterException fails(Path e, Path a, Path out) {
        return assertThrows(AdapterException.class, () -> AdapterArithmetic.run(
                OperationRequest.of(e, a, out, new Operation.ExtSub(1)), ProgressListener.NONE));
    }

    @Test
    void doraIsRefused() throws IOException {
        Path e = expert();
        Path a = anti(TestAdapters.loraConfig(4, 8, "q_proj", "v_proj").with("use_dora", true), 2, 16, "q_proj", "v_proj");
        AdapterException x = fails(e, a, tmp.resolve("out"));
        assertTrue(x.getMessage().contains("DoRA"), x.getMessage());
        assertTrue(x.getMessage().startsWith(a.resolve("adapter_config.json").toString()), x.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void doraMagnitudeTensorIsRefused() throws IOException {
        Path e = expert();
        Path a = TestAdapters.write(tmp.resolve("a"), TestAdapters.loraConfig(4, 8, "q_proj"), List.of(
                TestAdapters.random("base_model.model.layers.0.q_proj.lora_A.weight", new SplittableRandom(3), 4, 12),
                TestAdapters.random("base_model.model.layers.0.q_proj.lora_B.weight", new SplittableRandom(3), 16, 4),
                TestAdapters.random("base_model.model.layers.0.q_proj.lora_magnitude_vector", new SplittableRandom(3), 16)));
        AdapterException x = fails(e, a, tmp.resolve("out"));
        assertTrue(x.getMessage().contains("DoRA"), x.getMessage());
    }

    @Test
    void adaptersOfDifferentTypesAreRefused() {
        Path lora = Golden.root().resolve("lora-f32-h64-r8-l2/expert");
        Path ia3 = Golden.root().resolve("ia3-f32-l2/anti_expert");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(lora) && Files.isDirectory(ia3), "golden data absent");
        AdapterException x = fails(lora, ia3, tmp.resolve("out"));
        assertEquals(ia3 + ": the anti-expert's peft_type is IA3 but the expert's is LORA: only adapters of one type combine",
                x.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void mismatchedModulesAreListedWithACount() throws IOException {
        Path e = expert();
        // 3 layers of q_proj with 20 outputs: every q_proj shape differs, v_proj missing, layer 2 extra.
        Path a = anti(TestAdapters.loraConfig(4, 8, "q_proj"), 3, 20, "q_proj");
        AdapterException x = fails(e, a, tmp.resolve("out"));
        String m = x.getMessage();
        assertTrue(m.contains("(5 differences)"), m);
        assertTrue(m.contains("layers.0.q_proj: expert linear 16x12, anti-expert linear 20x12"), m);
        assertTrue(m.contains("layers.0.v_proj only in the expert"), m);
        assertTrue(m.contains("layers.2.q_proj only in the anti-expert"), m);
        assertFalse(m.contains("\n"));
    }

    @Test
    void manyDifferencesShowTheFirstFew() throws IOException {
        Path e = TestAdapters.lora(tmp.resolve("e"), TestAdapters.loraConfig(4, 8, "q_proj"), new SplittableRandom(1),
                8, 4, 16, 12, "q_proj");
        Path a = anti(TestAdapters.loraConfig(4, 8, "k_proj"), 8, 16, "k_proj");
        String m = fails(e, a, tmp.resolve("out")).getMessage();
        assertTrue(m.contains("(16 differences)") && m.contains("and 11 more"), m);
    }

    @Test
    void rankNotMatchingConfigIsRefused() throws IOException {
        Path e = expert();
        Path a = anti(TestAdapters.loraConfig(8, 8, "q_proj", "v_proj"), 2, 16, "q_proj", "v_proj");
        String m = fails(e, a, tmp.resolve("out")).getMessage();
        assertTrue(m.contains("has rank 4 but adapter_config.json gives r = 8"), m);
    }

    @Test
    void inconsistentPrefixConfigNamesTheFields() throws IOException {
        JsonObject cfg = JsonObject.builder().put("peft_type", "PREFIX_TUNING").put("num_virtual_tokens", 4)
                .put("num_layers", 3).put("num_attention_heads", 2).put("token_dim", 8).build();
        // 2 layers stored, the config says 3.
        Path e = TestAdapters.write(tmp.resolve("e"), cfg,
                List.of(TestAdapters.random("prompt_embeddings", new SplittableRandom(4), 4, 2 * 2 * 8)));
        Path a = TestAdapters.write(tmp.resolve("a"), cfg,
                List.of(TestAdapters.random("prompt_embeddings", new SplittableRandom(5), 4, 2 * 2 * 8)));
        String m = fails(e, a, tmp.resolve("out")).getMessage();
        assertTrue(m.contains("num_layers * 2 * token_dim = 3 * 2 * 8 = 48"), m);
        assertTrue(m.contains("[4, 32]"), m);
    }

    @Test
    void nonEmptyOutputNeedsForce() throws IOException {
        Path e = expert();
        Path a = anti(TestAdapters.loraConfig(4, 8, "q_proj", "v_proj"), 2, 16, "q_proj", "v_proj");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "keep me");
        String m = fails(e, a, out).getMessage();
        assertTrue(m.contains("not empty") && m.contains("--force"), m);
        assertTrue(Files.exists(out.resolve("old.txt")));

        OperationReport r = AdapterArithmetic.run(new OperationRequest(e, a, out, new Operation.ExtSub(1),
                java.util.Optional.empty(), true, java.util.Optional.empty()), ProgressListener.NONE);
        assertFalse(Files.exists(out.resolve("old.txt")));
        assertTrue(Files.exists(out.resolve("adapter_model.safetensors")));
        assertEquals(3, r.filesWritten().size());
        assertEquals(List.of("a", "e", "out"), listing(tmp));
    }

    @Test
    void outputInsideOrAroundAnInputIsRefused() throws IOException {
        Path e = expert();
        Path a = anti(TestAdapters.loraConfig(4, 8, "q_proj", "v_proj"), 2, 16, "q_proj", "v_proj");
        assertTrue(fails(e, a, e.resolve("sub")).getMessage().contains("inside the input folder"));
        assertTrue(fails(e, a, a).getMessage().contains("inside the input folder"));
        AdapterException x = assertThrows(AdapterException.class, () -> AdapterArithmetic.run(
                new OperationRequest(e, a, tmp, new Operation.Add(1), java.util.Optional.empty(), true,
                        java.util.Optional.empty()), ProgressListener.NONE));
        assertTrue(x.getMessage().contains("contains the input folder"), x.getMessage());
        assertEquals(List.of("a", "e"), listing(tmp));
    }

    @Test
    void failureWhileWritingLeavesNothing() throws IOException {
        Path out = tmp.resolve("new/parent/out");
        IOException x = assertThrows(IOException.class, () -> OutputFolder.write(out, false, List.of(), dir -> {
            Files.writeString(dir.resolve("half.txt"), "partial");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", x.getMessage());
        assertEquals(List.of(), listing(tmp));
    }

    @Test
    void brokenWeightsLeaveNothing() throws IOException {
        Path e = expert();
        Path a = anti(TestAdapters.loraConfig(4, 8, "q_proj", "v_proj"), 2, 16, "q_proj", "v_proj");
        Files.write(a.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> AdapterArithmetic.run(
                OperationRequest.of(e, a, tmp.resolve("out"), new Operation.ExtSub(1)), ProgressListener.NONE));
        assertEquals(List.of("a", "e"), listing(tmp));
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Path e = expert();
        Path a = Files.createDirectories(tmp.resolve("a"));
        String m = fails(e, a, tmp.resolve("out")).getMessage();
        assertEquals(a + ": not a PEFT adapter folder: adapter_config.json is missing", m);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
