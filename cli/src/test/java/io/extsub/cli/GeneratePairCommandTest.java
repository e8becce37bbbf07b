package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.cli.demo.PairSpec;
import io.extsub.cli.demo.PairWriter;
import io.extsub.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate-pair} writes what {@link PairWriter} writes, into an output folder handled like every other. */
class GeneratePairCommandTest {
    @TempDir
    Path tmp;

    @Test
    void demoPresetIsThePairWritersOutput() throws Exception {
        Path out = tmp.resolve("pair");
        CliRun r = CliRun.of("generate-pair", "--preset", "demo", "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        Path want = tmp.resolve("want");
        PairWriter.write(PairSpec.demo(), want, DType.F32);
        for (String side : List.of(PairWriter.EXPERT, PairWriter.ANTI_EXPERT)) {
            for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
                assertArrayEquals(Files.readAllBytes(want.resolve(side).resolve(file)),
                        Files.readAllBytes(out.resolve(side).resolve(file)), side + "/" + file);
            }
        }
        assertTrue(r.err().contains("wrote "), r.err());
    }

    @Test
    void nonEmptyOutIsRefusedUnlessForcedAndThenReplacedWhole() throws Exception {
        Path out = tmp.resolve("pair");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "keep");
        CliRun refused = CliRun.of("generate-pair", "--preset", "demo", "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, refused.exitCode(), refused::toString);
        assertTrue(refused.singleErrorLine().contains("--force"), refused.err());
        assertEquals("keep", Files.readString(out.resolve("precious.txt")));
        CliRun forced = CliRun.of("generate-pair", "--preset", "demo", "--out", out.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(PairWriter.ANTI_EXPERT, PairWriter.EXPERT),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void usageErrorWritesNothing() {
        Path out = tmp.resolve("pair");
        CliRun r = CliRun.of("generate-pair", "--preset", "demo", "--rank", "999", "--out", out.toString());
        assertEquals(ExitCode.USAGE, r.exitCode(), r::toString);
        assertFalse(Files.exists(out));
    }
}
