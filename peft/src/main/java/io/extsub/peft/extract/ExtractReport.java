package io.extsub.peft.extract;

import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@link LoraExtractor#extract} wrote. */
public record ExtractReport(Path base, Path tuned, Path out, List<ExtractedModule> modules, long outputBytes,
                            double seconds) {

    public ExtractReport {
        modules = List.copyOf(modules);
    }

    /** The report as {@code extract --json} prints it (field names in docs/cli.md). */
    public JsonObject toJson() {
        List<JsonValue> mods = new ArrayList<>();
        for (ExtractedModule m : modules) {
            mods.add(JsonObject.builder()
                    .put("module", m.module())
                    .put("shape", new JsonArray(List.of(JsonNumber.of(m.rows()), JsonNumber.of(m.cols()))))
                    .put("rank", m.rank())
                    .put("relative_error", m.relativeError())
                    .build());
        }
        return JsonObject.builder()
                .put("operation", "extract")
                .put("base", base.toString())
                .put("tuned", tuned.toString())
                .put("output", out.toString())
                .put("module_count", modules.size())
                .put("bytes_written", outputBytes)
                .put("elapsed_seconds", seconds)
                .put("modules", new JsonArray(mods))
                .build();
    }
}
