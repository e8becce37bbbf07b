package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.cli.demo.PairSpec;
import io.extsub.cli.demo.PairWriter;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.SafetensorsWriter;
import io.extsub.safetensors.TensorSpec;
import io.extsub.safetensors.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of bad input ends in exit code 3 and exactly one line on stderr naming the file. */
class BadInputTest {
    private static final PairSpec SMALL = new PairSpec(2, List.of(new PairSpec.ModuleShape("q_proj", 24, 16),
            new PairSpec.ModuleShape("v_proj", 8, 16)), 4, 8, 8, 5, "synthetic/small");

    @TempDir
    Path tmp;
    Path expert;
    Path anti;

    @BeforeEach
    void pair() throws Exception {
        PairWriter.write(SMALL, tmp.resolve("pair"), DType.F32);
        expert = tmp.resolve("pair").resolve(PairWriter.EXPERT);
        anti = tmp.resolve("pair").resolve(PairWriter.ANTI_EXPERT);
    }

    private CliRun extSub(Path e, Path a, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("ext-sub", "--expert", e.toString(), "--anti-expert", a.toString(),
                "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertBadInput(CliRun r, String mustContain) {
        assertEquals(3, r.exitCode(), r::toString);
        String line = r.singleErrorLine();
        assertTrue(line.contains(mustContain), () -> "'" + mustContain + "' not in: " + line);
        assertEquals("", r.out());
    }

    @Test
    void theSmallPairWorks() throws Exception {
        CliRun r = extSub(expert, anti, tmp.resolve("out"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("degenerate rows: 0"), r.err());
    }

    @Test
    void missingFolder() {
        Path missing = tmp.resolve("no-such-adapter");
        assertBadInput(extSub(missing, anti, tmp.resolve("out")), missing.toString());
        assertBadInput(CliRun.of("inspect", missing.toString()), missing + ": no such file or directory");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void malformedSafetensors() throws Exception {
        Path bad = tmp.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        assertBadInput(CliRun.of("inspect", bad.toString()), bad.toString());
        // the same inside an adapter folder: the header claims more bytes than the file has
        Path weights = expert.resolve("adapter_model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(all, all.length - 100));
        assertBadInput(extSub(expert, anti, tmp.resolve("out")), weights.getFileName().toString());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void doraIsRefused() throws Exception {
        Path dora = tmp.resolve("dora");
        Files.createDirectories(dora);
        String cfg = Files.readString(expert.resolve("adapter_config.json")).replace("\"use_rslora\": false",
                "\"use_dora\": true,\n  \"use_rslora\": false");
        Files.writeString(dora.resolve("adapter_config.json"), cfg);
        try (SafetensorsFile f = SafetensorsFile.open(expert.resolve("adapter_model.safetensors"))) {
            List<TensorSpec> specs = new ArrayList<>();
            for (TensorView t : f.tensors()) {
                specs.add(TensorSpec.of(t));
            }
            String mag = PairSpec.modulePrefix(0, "q_proj") + ".lora_magnitude_vector";
            specs.add(new TensorSpec(mag, DType.F32, new long[] {24}));
            SafetensorsWriter.write(dora.resolve("adapter_model.safetensors"), specs, Map.of("format", "pt"), List.of(),
                    (spec, dst) -> {
                        MemorySegment src = f.find(spec.name()).map(TensorView::data).orElse(null);
                        if (src == null) {
                            dst.fill((byte) 0);
                        } else {
                            dst.copyFrom(src);
                        }
                    });
        }
        CliRun r = extSub(dora, anti, tmp.resolve("out"));
        assertBadInput(r, dora.toString());
        assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("dora"), r.err());
    }

    @Test
    void mismatchedPair() throws Exception {
        PairSpec other = new PairSpec(2, List.of(new PairSpec.ModuleShape("q_proj", 24, 16),
                new PairSpec.ModuleShape("v_proj", 12, 16)), 4, 8, 8, 5, "synthetic/small");
        PairWriter.write(other, tmp.resolve("other"), DType.F32);
        CliRun r = extSub(expert, tmp.resolve("other").resolve(PairWriter.ANTI_EXPERT), tmp.resolve("out"));
        assertBadInput(r, "v_proj");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void nonEmptyOutIsRefusedUnlessForced() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "keep");
        assertBadInput(extSub(expert, anti, out), out.toString());
        assertEquals("keep", Files.readString(out.resolve("precious.txt")));
        CliRun forced = extSub(expert, anti, out, "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("adapter_model.safetensors")));
        }
    }

    @Test
    void debugAddsTheStackTraceAfterTheLine() {
        Path missing = tmp.resolve("gone");
        CliRun r = CliRun.of("--debug", "inspect", missing.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().startsWith("extsub: error: " + missing + ": no such file or directory\n"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
