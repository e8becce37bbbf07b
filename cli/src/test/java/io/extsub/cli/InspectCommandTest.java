package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.extsub.cli.demo.PairSpec;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    private static Path demoExpert(Path tmp) throws Exception {
        return DemoCommand.extract("expert", tmp);
    }

    /** Expected listing from the demo's recipe: names, shapes, 4 bytes per F32 element. */
    private static List<String> expectedRows() {
        PairSpec spec = PairSpec.demo();
        List<String> rows = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            for (PairSpec.ModuleShape m : spec.modules()) {
                String p = PairSpec.modulePrefix(l, m.name());
                rows.add(p + ".lora_A.weight F32 [" + spec.rank() + "," + m.in() + "] " + 4L * spec.rank() * m.in());
                rows.add(p + ".lora_B.weight F32 [" + m.out() + "," + spec.rank() + "] " + 4L * spec.rank() * m.out());
            }
        }
        return rows;
    }

    private static List<String> rows(JsonObject j) {
        List<String> rows = new ArrayList<>();
        for (JsonValue v : j.getArray("tensors").orElseThrow().elements()) {
            JsonObject t = (JsonObject) v;
            List<String> dims = new ArrayList<>();
            for (JsonValue d : t.getArray("shape").orElseThrow().elements()) {
                dims.add(Long.toString(((JsonNumber) d).longValueExact()));
            }
            rows.add(t.getString("name").orElseThrow() + " " + t.getString("dtype").orElseThrow() + " ["
                    + String.join(",", dims) + "] " + t.getLong("bytes").orElseThrow());
        }
        return rows;
    }

    @Test
    void adapterFolderJson(@TempDir Path tmp) throws Exception {
        Path dir = demoExpert(tmp);
        CliRun r = CliRun.of("inspect", dir.toString(), "--json");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        JsonObject j = Json.parseObject(r.out());
        assertEquals("LORA", j.getString("peft_type").orElseThrow());
        assertEquals(8, j.getLong("r").orElseThrow());
        assertEquals(16.0, j.getNumber("lora_alpha").orElseThrow());
        assertEquals(List.of("q_proj", "v_proj"), j.getArray("target_modules").orElseThrow().elements().stream()
                .map(v -> ((io.extsub.safetensors.json.JsonString) v).value()).toList());
        assertEquals(JsonArray.of(JsonNumber.of(8)), j.getArray("module_ranks").orElseThrow());
        assertEquals(8, j.getLong("module_count").orElseThrow());
        assertEquals(expectedRows(), rows(j));
    }

    @Test
    void safetensorsFileListing(@TempDir Path tmp) throws Exception {
        Path file = demoExpert(tmp).resolve("adapter_model.safetensors");
        CliRun r = CliRun.of("inspect", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("metadata:        format=pt"), r.out());
        assertTrue(r.out().contains("tensors:         16, 128.0 KiB"), r.out());
        for (String row : expectedRows()) {
            String[] parts = row.split(" ");
            String shape = parts[2].substring(1, parts[2].length() - 1).replace(',', 'x');
            assertTrue(r.out().lines().anyMatch(l -> l.matches("  " + java.util.regex.Pattern.quote(parts[0])
                    + " +F32 +" + shape + " +" + parts[3])), row);
        }
        CliRun j = CliRun.of("inspect", "--json", file.toString());
        assertEquals(expectedRows(), rows(Json.parseObject(j.out())));
        assertEquals("safetensors", Json.parseObject(j.out()).getString("format").orElseThrow());
    }

    /** A PyTorch .bin written by torch itself (golden data) lists the same tensors as its .safetensors twin. */
    @Test
    void torchBinMatchesItsSafetensorsTwin() throws Exception {
        Path golden = Path.of(System.getProperty("extsub.golden", "/work/shared/golden"), "lora-f32-h64-r8-l2", "expert");
        assumeTrue(Files.isRegularFile(golden.resolve("adapter_model.bin")), "golden data not present");
        JsonObject bin = Json.parseObject(CliRun.of("inspect", "--json", golden.resolve("adapter_model.bin").toString()).out());
        JsonObject st = Json.parseObject(CliRun.of("inspect", "--json", golden.resolve("adapter_model.safetensors").toString()).out());
        assertEquals("pytorch", bin.getString("format").orElseThrow());
        assertEquals(new java.util.TreeSet<>(rows(st)), new java.util.TreeSet<>(rows(bin)));
    }
}
