package io.extsub.peft;

import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library entry point: load two PEFT adapter folders, pair their modules, apply an
 * {@link Operation} module by module (in parallel across cores: modules are independent),
 * and write a PEFT-loadable folder. Without recompression the output's layout is known before
 * any module is computed, so modules are written as they finish ({@link ModuleStream}).
 */
public final class AdapterArithmetic {
    private AdapterArithmetic() {}

    /**
     * Runs the request. Bad inputs throw {@link AdapterException} (or
     * {@link io.extsub.safetensors.TensorFormatException} for a broken weights file); on any
     * failure nothing is left at the output path.
     */
    public static OperationReport run(OperationRequest req, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        List<Path> inputs = List.of(req.expert(), req.antiExpert());
        for (Path in : inputs) {
            if (!Files.isDirectory(in)) {
                throw new AdapterException(in, Files.exists(in) ? "is not a folder" : "no such folder");
            }
        }
        OutputFolder.checkTarget(req.output(), req.force(), inputs); // fail fast, before any work
        try (LoadedAdapter expert = AdapterLoader.load(req.expert());
                LoadedAdapter anti = AdapterLoader.load(req.antiExpert())) {
            List<String> warnings = new ArrayList<>();
            List<ModulePair> pairs = ModulePairing.pair(expert, anti, warnings);
            if (req.rankLimit().isPresent() && expert.peftType() != PeftType.LORA) {
                throw new AdapterException(req.expert(), "--rank/--tol apply to LoRA adapters only, this is "
                        + expert.peftType().configName());
            }
            List<String> kept = expert.otherTensors().stream().map(t -> t.name()).toList();
            if (!kept.isEmpty()) {
                warnings.add("kept the expert's " + kept.size() + " non-adapter tensor(s) (modules_to_save) unchanged");
            }
            ModuleReport[] reports = new ModuleReport[pairs.size()];
            String dtype;
            try (ModuleStream modules = ModuleStream.start(pairs, req, progress)) {
                WeightsLayout layout = WeightsLayout.of(pairs, req, modules);
                dtype = req.dtype().map(Enum::name).orElse(layout.firstDType().orElse("F32"));
                String outDType = dtype;
                OutputFolder.write(req.output(), req.force(), inputs, dir -> {
                    AdapterWriter.weights(dir, layout.specs(), (j, spec, dst) -> {
                        int m = layout.module(j);
                        ModuleResult r = modules.take(m);
                        OutputTensor t = r.tensors().get(layout.position(j));
                        layout.check(j, t);
                        Decode.store(t.data(), dst, t.type());
                        if (layout.position(j) == r.tensors().size() - 1) {
                            reports[m] = r.report();
                            modules.release(m); // written: its arrays may go
                        }
                    }, expert.otherTensors());
                    Map<String, Integer> ranks = new LinkedHashMap<>();
                    for (ModuleReport r : reports) {
                        ranks.put(KeyName.modelName(r.module()), r.outputRank());
                    }
                    if (expert.peftType() == PeftType.LORA) {
                        JsonObject config = OutputConfig.lora(expert.config().json(), ranks);
                        AdapterWriter.config(dir, config);
                    } else {
                        AdapterWriter.copyConfig(dir, expert.config());
                    }
                    AdapterWriter.readme(dir, req, expert.peftType(), outDType, pairs.size());
                });
            }
            List<Path> files = List.of(req.output().resolve(WeightFiles.SAFETENSORS),
                    req.output().resolve(AdapterConfig.FILE_NAME), req.output().resolve(AdapterWriter.README));
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            var degenerate = java.util.Arrays.stream(reports).map(ModuleReport::degenerate)
                    .reduce(io.extsub.engine.extsub.DegenerateRows.NONE, io.extsub.engine.extsub.DegenerateRows::plus);
            return new OperationReport(expert.peftType(), req.operation(), req.expert(), req.antiExpert(), req.output(),
                    OutputDType.valueOf(dtype), List.of(reports), degenerate, warnings, kept, files, bytes,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
