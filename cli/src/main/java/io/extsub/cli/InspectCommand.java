package io.extsub.cli;

import io.extsub.peft.AdapterInspector;
import io.extsub.peft.AdapterSummary;
import io.extsub.peft.TensorInfo;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.Safetensors;
import io.extsub.safetensors.ShardedSafetensors;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNull;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;
import io.extsub.safetensors.torch.TorchBinFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code inspect PATH}: what a tensor file, a sharded checkpoint or a PEFT adapter folder holds.
 * Nothing is computed; tensors are only mapped, so this is instant even for large files.
 */
final class InspectCommand implements Command {

    /** One tensor row of the listing. */
    record Row(String name, String dtype, List<Long> shape, long bytes) {}

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "list the tensors and metadata of a .safetensors/.bin file, sharded index or adapter folder";
    }

    @Override
    public String synopsis() {
        return "PATH [--json]";
    }

    @Override
    public String details() {
        return """
                PATH is a .safetensors file, a model.safetensors.index.json (sharded checkpoint), a PyTorch
                .bin state dict, a folder holding one of those, or a PEFT adapter folder (adapter_config.json
                + adapter_model.safetensors or .bin), for which the PEFT type, rank(s), alpha and target
                modules are shown too.
                """;
    }

    @Override
    public List<Option> options() {
        return List.of(Option.flag("json", "print JSON on stdout instead of the listing"));
    }

    @Override
    public int minPositionals() {
        return 1;
    }

    @Override
    public int maxPositionals() {
        return 1;
    }

    @Override
    public int run(ParsedArgs args, CommandContext ctx) throws Exception {
        Path path = Path.of(args.positionals().getFirst());
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString());
        }
        JsonObject json = Files.isDirectory(path) && Files.isRegularFile(path.resolve("adapter_config.json"))
                ? adapter(path)
                : tensorFile(path);
        if (args.flag("json")) {
            ctx.out().println(Json.writePretty(json));
        } else {
            print(json, ctx.out());
        }
        return ExitCode.OK;
    }

    private static JsonObject tensorFile(Path path) throws IOException {
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
        boolean torch = !Files.isDirectory(path) && (fileName.endsWith(".bin") || fileName.endsWith(".pt")
                || fileName.endsWith(".pth"));
        try (TensorSource source = torch ? TorchBinFile.open(path) : Safetensors.open(path)) {
            String format = torch ? "pytorch" : source instanceof ShardedSafetensors ? "safetensors-sharded" : "safetensors";
            List<Row> rows = new ArrayList<>();
            for (TensorView t : source.tensors()) {
                rows.add(new Row(t.name(), t.dtype().name(), boxed(t.shape()), t.data().byteSize()));
            }
            JsonObject.Builder meta = JsonObject.builder();
            for (Map.Entry<String, String> e : source.metadata().entrySet()) {
                meta.put(e.getKey(), e.getValue());
            }
            return JsonObject.builder()
                    .put("path", source.path().toString())
                    .put("format", format)
                    .put("metadata", meta.build())
                    .put("tensor_count", rows.size())
                    .put("total_bytes", totalBytes(rows))
                    .put("tensors", rowsJson(rows))
                    .build();
        }
    }

    private static JsonObject adapter(Path dir) throws IOException {
        AdapterSummary s = AdapterInspector.inspect(dir);
        List<Row> rows = new ArrayList<>();
        TreeSet<Long> ranks = new TreeSet<>();
        for (TensorInfo t : s.tensors()) {
            rows.add(new Row(t.name(), t.dtype(), t.shape(), bytes(t)));
            if (isLoraA(t.name()) && !t.shape().isEmpty()) {
                ranks.add(t.shape().getFirst());
            }
        }
        TreeSet<Double> scalings = new TreeSet<>(s.moduleScaling().values());
        JsonObject.Builder b = JsonObject.builder()
                .put("path", dir.toString())
                .put("format", "peft-adapter")
                .put("peft_type", s.peftType().configName())
                .put("weights_file", s.weightsFile().toString())
                .put("base_model_name_or_path", s.baseModel().<JsonValue>map(JsonString::of).orElse(JsonNull.INSTANCE));
        if (s.r().isPresent()) {
            b.put("r", s.r().getAsInt());
        }
        if (s.loraAlpha().isPresent()) {
            b.put("lora_alpha", s.loraAlpha().getAsDouble());
            b.put("use_rslora", s.useRslora());
        }
        b.put("module_ranks", new JsonArray(ranks.stream().<JsonValue>map(JsonNumber::of).toList()));
        b.put("scalings", new JsonArray(scalings.stream().<JsonValue>map(JsonNumber::of).toList()));
        b.put("target_modules", strings(s.targetModules()));
        b.put("module_count", s.peftType().configName().equals("LORA") ? s.moduleScaling().size() : rows.size());
        b.put("modules_to_save", strings(s.modulesToSave()));
        b.put("tensor_count", rows.size());
        b.put("total_bytes", totalBytes(rows));
        b.put("tensors", rowsJson(rows));
        return b.build();
    }

    /** PEFT's lora_A keys: {@code ...lora_A.weight} or, with an adapter name, {@code ...lora_A.<name>.weight}. */
    static boolean isLoraA(String key) {
        int i = key.lastIndexOf(".lora_A.");
        int j = key.lastIndexOf(".lora_embedding_A");
        return (i >= 0 && key.endsWith(".weight")) || j >= 0;
    }

    private static long bytes(TensorInfo t) {
        long n = 1;
        for (long d : t.shape()) {
            n = Math.multiplyExact(n, d);
        }
        final long elements = n;
        return DType.fromHeaderName(t.dtype()).map(d -> d.byteSize(elements)).orElse(-1L);
    }

    private static void print(JsonObject j, PrintStream out) {
        String format = j.getString("format").orElseThrow();
        if (format.equals("peft-adapter")) {
            out.println("adapter:         " + j.getString("path").orElseThrow());
            out.println("peft type:       " + j.getString("peft_type").orElseThrow());
            out.println("weights:         " + j.getString("weights_file").orElseThrow());
            out.println("base model:      " + j.getString("base_model_name_or_path").orElse("-"));
            if (j.has("r")) {
                out.println("r:               " + j.getLong("r").orElseThrow() + " (ranks found: " + list(j, "module_ranks") + ")");
                out.println("lora_alpha:      " + Summary.fmtNumber(j.getNumber("lora_alpha").orElseThrow())
                        + (j.getBoolean("use_rslora").orElse(false) ? " (use_rslora: scaling alpha/sqrt(r))" : " (scaling alpha/r)"));
                out.println("scaling:         " + list(j, "scalings"));
            }
            out.println("target modules:  " + list(j, "target_modules"));
            out.println("modules:         " + j.getLong("module_count").orElseThrow());
            out.println("modules_to_save: " + list(j, "modules_to_save"));
        } else {
            out.println("file:            " + j.getString("path").orElseThrow());
            out.println("format:          " + format);
            JsonObject meta = j.getObject("metadata").orElseThrow();
            StringBuilder m = new StringBuilder();
            for (Map.Entry<String, JsonValue> e : meta.members().entrySet()) {
                m.append(m.isEmpty() ? "" : ", ").append(e.getKey()).append('=')
                        .append(e.getValue() instanceof JsonString s ? s.value() : e.getValue().toString());
            }
            out.println("metadata:        " + (m.isEmpty() ? "-" : m));
        }
        JsonArray tensors = j.getArray("tensors").orElseThrow();
        out.printf(Locale.ROOT, "tensors:         %d, %s%n", tensors.size(), Summary.bytes(j.getLong("total_bytes").orElseThrow()));
        int nameWidth = 4;
        List<String[]> cells = new ArrayList<>();
        for (JsonValue v : tensors.elements()) {
            JsonObject t = (JsonObject) v;
            String shape = t.getArray("shape").orElseThrow().elements().stream().map(JsonValue::toString)
                    .reduce((a, b) -> a + "x" + b).orElse("scalar");
            String[] row = {t.getString("name").orElseThrow(), t.getString("dtype").orElseThrow(), shape,
                    Long.toString(t.getLong("bytes").orElseThrow())};
            nameWidth = Math.max(nameWidth, row[0].length());
            cells.add(row);
        }
        String fmt = "  %-" + nameWidth + "s  %-5s  %-11s  %s%n";
        out.printf(Locale.ROOT, fmt, "NAME", "DTYPE", "SHAPE", "BYTES");
        for (String[] row : cells) {
            out.printf(Locale.ROOT, fmt, (Object[]) row);
        }
    }

    private static String list(JsonObject j, String key) {
        List<String> items = new ArrayList<>();
        for (JsonValue v : j.getArray(key).orElseThrow().elements()) {
            items.add(v instanceof JsonString s ? s.value() : v instanceof JsonNumber n ? Summary.fmtNumber(n.doubleValue()) : v.toString());
        }
        return items.isEmpty() ? "-" : String.join(", ", items);
    }

    private static long totalBytes(List<Row> rows) {
        long sum = 0;
        for (Row r : rows) {
            sum = Math.addExact(sum, Math.max(0, r.bytes()));
        }
        return sum;
    }

    private static JsonArray rowsJson(List<Row> rows) {
        List<JsonValue> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(JsonObject.builder()
                    .put("name", r.name())
                    .put("dtype", r.dtype())
                    .put("shape", new JsonArray(r.shape().stream().<JsonValue>map(JsonNumber::of).toList()))
                    .put("bytes", r.bytes())
                    .build());
        }
        return new JsonArray(out);
    }

    private static JsonArray strings(List<String> xs) {
        return new JsonArray(xs.stream().<JsonValue>map(JsonString::of).toList());
    }

    private static List<Long> boxed(long[] shape) {
        List<Long> l = new ArrayList<>(shape.length);
        for (long d : shape) {
            l.add(d);
        }
        return l;
    }
}
