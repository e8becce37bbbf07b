package io.extsub.peft;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** The reference implementation's golden data (system property extsub.golden). */
final class Golden {
    private Golden() {}

    static Path root() {
        return Path.of(System.getProperty("extsub.golden", "../../shared/golden"));
    }

    static JsonObject json(Path file) throws IOException {
        try {
            return Json.parseObject(Files.readString(file));
        } catch (io.extsub.safetensors.json.JsonException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** One run of one case, as listed in the case's case.json. */
    record Run(String caseId, String name, String method, double alpha, boolean ok, JsonObject json) {
        Path caseDir() {
            return root().resolve(caseId);
        }

        Operation operation() {
            return switch (method) {
                case "ext-sub" -> new Operation.ExtSub(alpha);
                case "subtraction" -> new Operation.Subtract(alpha);
                case "addition" -> new Operation.Add(alpha);
                default -> throw new IllegalArgumentException(method);
            };
        }

        @Override
        public String toString() {
            return caseId + " " + name;
        }
    }

    static List<Arguments> runs(String peftType) throws IOException {
        List<Arguments> out = new ArrayList<>();
        JsonObject index = json(root().resolve("index.json"));
        for (JsonValue c : index.getArray("cases").orElseThrow().elements()) {
            JsonObject co = (JsonObject) c;
            if (!co.getString("peft_type").orElseThrow().equals(peftType)) {
                continue;
            }
            String id = co.getString("id").orElseThrow();
            JsonObject caseJson = json(root().resolve(id).resolve("case.json"));
            for (JsonValue r : caseJson.getArray("runs").orElseThrow().elements()) {
                JsonObject ro = (JsonObject) r;
                out.add(Arguments.of(new Run(id, ro.getString("name").orElseThrow(), ro.getString("method").orElseThrow(),
                        ro.getNumber("alpha").orElseThrow(), ro.getString("outcome").orElseThrow().equals("ok"), ro)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no " + peftType + " runs under " + root().toAbsolutePath());
        }
        return out;
    }
}
