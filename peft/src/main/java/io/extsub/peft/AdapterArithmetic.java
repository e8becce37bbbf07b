package io.extsub.peft;

import io.extsub.safetensors.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The library entry point: load two PEFT adapter folders, pair their modules, apply an
 * {@link Operation} module by module (in parallel across cores: modules are independent),
 * and write a PEFT-loadable folder.
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
            List<ModuleResult> results = compute(pairs, req, progress);

            List<OutputTensor> tensors = new ArrayList<>();
            List<ModuleReport> reports = new ArrayList<>();
            Map<String, Integer> ranks = new LinkedHashMap<>();
            for (ModuleResult r : results) {
                tensors.addAll(r.tensors());
                reports.add(r.report());
                ranks.put(KeyName.modelName(r.report().module()), r.report().outputRank());
            }
            List<String> kept = expert.otherTensors().stream().map(t -> t.name()).toList();
            if (!kept.isEmpty()) {
                warnings.add("kept the expert's " + kept.size() + " non-adapter tensor(s) (modules_to_save) unchanged");
            }
            String dtype = req.dtype().map(Enum::name)
                    .orElse(tensors.isEmpty() ? "F32" : tensors.getFirst().type().name());
            OutputFolder.write(req.output(), req.force(), inputs, dir -> {
                AdapterWriter.weights(dir, tensors, expert.otherTensors());
                if (expert.peftType() == PeftType.LORA) {
                    JsonObject config = OutputConfig.lora(expert.config().json(), ranks);
                    AdapterWriter.config(dir, config);
                } else {
                    AdapterWriter.copyConfig(dir, expert.config());
                }
                AdapterWriter.readme(dir, req, expert.peftType(), dtype, results.size());
            });
            List<Path> files = List.of(req.output().resolve(WeightFiles.SAFETENSORS),
                    req.output().resolve(AdapterConfig.FILE_NAME), req.output().resolve(AdapterWriter.README));
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            var degenerate = reports.stream().map(ModuleReport::degenerate)
                    .reduce(io.extsub.engine.extsub.DegenerateRows.NONE, io.extsub.engine.extsub.DegenerateRows::plus);
            return new OperationReport(expert.peftType(), req.operation(), req.expert(), req.antiExpert(), req.output(),
                    OutputDType.valueOf(dtype), reports, degenerate, warnings, kept, files, bytes,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static List<ModuleResult> compute(List<ModulePair> pairs, OperationRequest req, ProgressListener progress)
            throws IOException {
        int total = pairs.size();
        progress.started(total);
        AtomicInteger done = new AtomicInteger();
        try {
            return IntStream.range(0, total).parallel().mapToObj(i -> {
                ModulePair p = pairs.get(i);
                ModuleResult r = ModuleOperations.apply(p, req.operation(), req.rankLimit(), req.dtype());
                synchronized (progress) {
                    progress.moduleDone(p.expert().key(), done.incrementAndGet(), total);
                }
                return r;
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (UnsupportedOperationException e) {
            throw new AdapterException(req.output(), "recompression (--rank/--tol) is not available in this build");
        }
    }
}
