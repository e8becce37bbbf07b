package io.extsub.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.safetensors.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairGeneratorTest {

    /** The pair in the jar is exactly what ExamplePairGenerator writes (no undocumented drift). */
    @Test
    void bundledDemoPairIsTheGeneratorsOutput(@TempDir Path tmp) throws IOException {
        PairWriter.write(PairSpec.demo(), tmp, DType.F32);
        for (String side : List.of(PairWriter.EXPERT, PairWriter.ANTI_EXPERT)) {
            for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
                try (InputStream in = getClass().getResourceAsStream("/demo/" + side + "/" + file)) {
                    assertTrue(in != null, "resource missing: " + side + "/" + file);
                    assertArrayEquals(Files.readAllBytes(tmp.resolve(side).resolve(file)), in.readAllBytes(),
                            side + "/" + file + " differs from the generator; rerun ExamplePairGenerator");
                }
            }
        }
    }

    @Test
    void demoPairHasTheCosineSpreadOfTrainedPairs() {
        PairStats.CosineRange c = PairStats.cosineRange(PairSpec.demo());
        assertTrue(c.min() < -0.2 && c.min() > -0.5, "min " + c.min());
        assertTrue(c.max() > 0.9 && c.max() < 0.99, "max " + c.max());
    }

    /** Seeded (seed 99 in the spec): same inputs give the same factors, other layers differ. */
    @Test
    void generationIsDeterministicPerModule() {
        PairSpec spec = new PairSpec(3, List.of(new PairSpec.ModuleShape("q_proj", 32, 48)), 4, 8, 8, 99, "x");
        ModuleFactors a = LoraPairGenerator.module(spec, 2, 0);
        ModuleFactors b = LoraPairGenerator.module(spec, 2, 0);
        ModuleFactors c = LoraPairGenerator.module(spec, 1, 0);
        assertArrayEquals(a.a1(), b.a1());
        assertArrayEquals(a.b2(), b.b2());
        assertTrue(a.a1()[0] != c.a1()[0]);
        assertEquals(4 * 48, a.a1().length);
        assertEquals(32 * 4, a.b1().length);
        assertEquals("base_model.model.model.layers.2.self_attn.q_proj", a.prefix());
    }
}
