package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.cli.demo.LoraPairGenerator;
import io.extsub.cli.demo.ModuleFactors;
import io.extsub.cli.demo.PairSpec;
import io.extsub.cli.demo.PairWriter;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class OperationCommandTest {
    /** Expert alpha 8, anti-expert alpha 4: the two scalings differ (2 and 1). */
    private static final PairSpec PAIR = new PairSpec(2, List.of(new PairSpec.ModuleShape("q_proj", 20, 12),
            new PairSpec.ModuleShape("v_proj", 6, 12)), 4, 8, 4, 11, "synthetic/small");

    /**
     * subtract / add via the CLI, read back as PEFT uses the output, equal s1 B1 A1 -/+ alpha s2 B2 A2
     * computed here in float64 from the generator's factors; --json parses and counts right.
     */
    @ParameterizedTest(name = "{0} alpha {1}")
    @CsvSource({"subtract, 0.7, -1", "add, 1.5, 1"})
    void plainArithmeticMatchesFloat64(String op, double alpha, int sign, @TempDir Path tmp) throws Exception {
        PairWriter.write(PAIR, tmp, DType.F32);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of(op, "--expert", tmp.resolve("expert").toString(), "--anti-expert",
                tmp.resolve("anti_expert").toString(), "--out", out.toString(), "--alpha=" + alpha, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonObject report = Json.parseObject(r.out());
        assertEquals(op, report.getString("operation").orElseThrow());
        assertEquals(alpha, report.getNumber("alpha").orElseThrow());
        assertEquals(4, report.getLong("module_count").orElseThrow());
        assertEquals(4 * 8, report.getLong("output_rank_total").orElseThrow());
        assertTrue(r.err().contains(op + " (alpha " + alpha + ")"), r.err());

        double s1 = 8.0 / 4;
        double s2 = 4.0 / 4;
        double worst = 0;
        for (int layer = 0; layer < PAIR.layers(); layer++) {
            for (int m = 0; m < PAIR.modules().size(); m++) {
                ModuleFactors f = LoraPairGenerator.module(PAIR, layer, m);
                double[][] got = PeftDelta.delta(out, f.prefix());
                for (int i = 0; i < f.out(); i++) {
                    double[] w1 = DemoCommandTest.row(f.b1(), f.a1(), i, f.rank(), f.in(), s1);
                    double[] w2 = DemoCommandTest.row(f.b2(), f.a2(), i, f.rank(), f.in(), s2);
                    double scale = 0;
                    for (int j = 0; j < f.in(); j++) {
                        scale = Math.max(scale, Math.abs(w1[j] + sign * alpha * w2[j]));
                    }
                    for (int j = 0; j < f.in(); j++) {
                        worst = Math.max(worst, Math.abs(got[i][j] - (w1[j] + sign * alpha * w2[j])) / scale);
                    }
                }
            }
        }
        assertTrue(worst < 2e-5, "worst relative error " + worst);
    }
}
