package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.cli.demo.LoraPairGenerator;
import io.extsub.cli.demo.ModuleFactors;
import io.extsub.cli.demo.PairSpec;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    /**
     * The demo's output, read back as PEFT would use it (scaling x B A), equals Ext-Sub of the
     * bundled pair computed here in float64 from the generator's factors with the paper's
     * projection form (not the closed form the engine uses): out = w1 - alpha (w2 - (w2.c) c),
     * c the unit bisector of w1 and w2.
     */
    @Test
    void demoOutputIsTheExtSubOfTheBundledPair(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("result");
        double alpha = 0.7;
        CliRun r = CliRun.of("demo", "--out", out.toString(), "--alpha", "0.7");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Result: " + out.toAbsolutePath().normalize()), r.out());
        assertTrue(Files.isRegularFile(out.resolve("adapter_model.safetensors")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("- expert: the bundled example pair") && readme.contains("- anti-expert: the bundled example pair"),
                readme);
        assertTrue(!readme.contains("extsub-demo-"), "README names the vanished temporary copy: " + readme);

        PairSpec spec = PairSpec.demo();
        double s1 = spec.expertAlpha() / spec.rank();
        double s2 = spec.antiAlpha() / spec.rank();
        double worst = 0;
        for (int layer = 0; layer < spec.layers(); layer++) {
            for (int m = 0; m < spec.modules().size(); m++) {
                ModuleFactors f = LoraPairGenerator.module(spec, layer, m);
                double[][] got = PeftDelta.delta(out, f.prefix());
                for (int i = 0; i < f.out(); i++) {
                    double[] w1 = row(f.b1(), f.a1(), i, f.rank(), f.in(), s1);
                    double[] w2 = row(f.b2(), f.a2(), i, f.rank(), f.in(), s2);
                    double[] want = extSubProjection(w1, w2, alpha);
                    double rowScale = 0;
                    for (double v : want) {
                        rowScale = Math.max(rowScale, Math.abs(v));
                    }
                    for (int j = 0; j < f.in(); j++) {
                        double err = Math.abs(got[i][j] - want[j]) / rowScale;
                        worst = Math.max(worst, err);
                    }
                }
            }
        }
        assertTrue(worst < 2e-5, "worst relative error " + worst);
    }

    @Test
    void onlyAnEarlierDemoResultCountsAsReplaceable(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("o");
        assertEquals(0, CliRun.of("demo", "--out", out.toString()).exitCode());
        assertTrue(DemoCommand.isEarlierDemoResult(out));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertFalse(DemoCommand.isEarlierDemoResult(out), "a folder with a file of the user's is not replaced");
        Files.delete(out.resolve("notes.txt"));
        Files.writeString(out.resolve("README.md"), "# my own adapter");
        assertFalse(DemoCommand.isEarlierDemoResult(out), "another adapter is not replaced");
        assertFalse(DemoCommand.isEarlierDemoResult(tmp.resolve("missing")));
    }

    @Test
    void demoRefusesANonEmptyOutWithoutForce(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "mine");
        CliRun r = CliRun.of("demo", "--out", tmp.toString());
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("extsub: error: ") && l.contains(tmp.toString())), r.err());
        assertEquals("mine", Files.readString(tmp.resolve("keep.txt")));
        CliRun forced = CliRun.of("demo", "--out", tmp.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertTrue(Files.isRegularFile(tmp.resolve("adapter_model.safetensors")));
    }

    @Test
    void demoJsonGoesToStdoutAlone(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("demo", "--out", tmp.resolve("o").toString(), "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonObject report = Json.parseObject(r.out());
        assertEquals("ext-sub", report.getString("operation").orElseThrow());
        assertEquals(8, report.getLong("module_count").orElseThrow());
        assertEquals(8 * 16, report.getLong("output_rank_total").orElseThrow());
        assertTrue(r.err().contains("Result: "), r.err());
    }

    static double[] row(float[] b, float[] a, int i, int r, int in, double scale) {
        double[] w = new double[in];
        for (int p = 0; p < r; p++) {
            double bip = scale * b[i * r + p];
            for (int j = 0; j < in; j++) {
                w[j] += bip * a[p * in + j];
            }
        }
        return w;
    }

    /** Hu et al. 2023, ext_sub: the projection form, with the degenerate rows as extsub defines them. */
    static double[] extSubProjection(double[] w1, double[] w2, double alpha) {
        int n = w1.length;
        double n1 = norm(w1);
        double n2 = norm(w2);
        double[] out = new double[n];
        if (n2 == 0) {
            return w1.clone();
        }
        if (n1 == 0) {
            for (int j = 0; j < n; j++) {
                out[j] = -alpha * w2[j];
            }
            return out;
        }
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            c[j] = w1[j] / n1 + w2[j] / n2;
        }
        double nc = norm(c);
        double dot = 0;
        for (int j = 0; j < n; j++) {
            c[j] /= nc;
            dot += w2[j] * c[j];
        }
        for (int j = 0; j < n; j++) {
            out[j] = w1[j] - alpha * w2[j] + alpha * dot * c[j];
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
