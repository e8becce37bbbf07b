package io.extsub.peft;

import io.extsub.engine.extsub.DegenerateRows;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one {@link AdapterArithmetic#run}: per module and in total, plus warnings
 * (e.g. different base models), the expert's {@code modules_to_save} tensors that were
 * copied unchanged, and what was written where.
 */
public record OperationReport(PeftType peftType, Operation operation, Path expert, Path antiExpert, Path output,
        OutputDType dtype, List<ModuleReport> modules, DegenerateRows degenerate, List<String> warnings,
        List<String> keptModulesToSave, List<Path> filesWritten, long bytesWritten, Duration elapsed) {

    public OperationReport {
        modules = List.copyOf(modules);
        warnings = List.copyOf(warnings);
        keptModulesToSave = List.copyOf(keptModulesToSave);
        filesWritten = List.copyOf(filesWritten);
    }

    public int moduleCount() {
        return modules.size();
    }

    /** Sum of the expert's module ranks (LoRA; 0 otherwise). */
    public long expertRankTotal() {
        return modules.stream().mapToLong(ModuleReport::expertRank).sum();
    }

    public long antiRankTotal() {
        return modules.stream().mapToLong(ModuleReport::antiRank).sum();
    }

    public long outputRankTotal() {
        return modules.stream().mapToLong(ModuleReport::outputRank).sum();
    }

    /** The report as JSON, for {@code --json}. */
    public JsonObject toJson() {
        List<JsonValue> mods = new ArrayList<>();
        for (ModuleReport m : modules) {
            JsonObject.Builder b = JsonObject.builder()
                    .put("module", m.module())
                    .put("kind", m.kind())
                    .put("shape", longs(m.shape()))
                    .put("expert_rank", m.expertRank())
                    .put("anti_expert_rank", m.antiRank())
                    .put("output_rank", m.outputRank())
                    .put("degenerate_rows", degenerateJson(m.degenerate()));
            m.relativeError().ifPresent(e -> b.put("relative_error", e));
            mods.add(b.build());
        }
        return JsonObject.builder()
                .put("peft_type", peftType.configName())
                .put("operation", operation.name())
                .put("alpha", operation.alpha())
                .put("expert", expert.toString())
                .put("anti_expert", antiExpert.toString())
                .put("output", output.toString())
                .put("dtype", dtype.name())
                .put("module_count", modules.size())
                .put("expert_rank_total", expertRankTotal())
                .put("anti_expert_rank_total", antiRankTotal())
                .put("output_rank_total", outputRankTotal())
                .put("degenerate_rows", degenerateJson(degenerate))
                .put("warnings", strings(warnings))
                .put("kept_modules_to_save", strings(keptModulesToSave))
                .put("files_written", strings(filesWritten.stream().map(Path::toString).toList()))
                .put("bytes_written", bytesWritten)
                .put("elapsed_seconds", elapsed.toNanos() / 1e9)
                .put("modules", new JsonArray(mods))
                .build();
    }

    private static JsonObject degenerateJson(DegenerateRows d) {
        return JsonObject.builder()
                .put("zero_anti_expert", d.zeroAnti())
                .put("zero_expert", d.zeroExpert())
                .put("antiparallel", d.antiparallel())
                .put("total", d.total())
                .build();
    }

    private static JsonArray strings(List<String> xs) {
        return new JsonArray(xs.stream().<JsonValue>map(JsonString::of).toList());
    }

    private static JsonArray longs(List<Long> xs) {
        return new JsonArray(xs.stream().<JsonValue>map(JsonNumber::of).toList());
    }
}
