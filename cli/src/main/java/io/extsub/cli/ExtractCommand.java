package io.extsub.cli;

import io.extsub.peft.ProgressListener;
import io.extsub.peft.extract.ExtractReport;
import io.extsub.peft.extract.ExtractRequest;
import io.extsub.peft.extract.ExtractedModule;
import io.extsub.peft.extract.LoraExtractor;
import io.extsub.peft.extract.RankChoice;
import io.extsub.safetensors.DType;
import io.extsub.safetensors.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code extract}: a LoRA adapter from a full fine-tune (tuned - base, by randomized SVD). */
final class ExtractCommand implements Command {

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String summary() {
        return "extract a LoRA adapter from a full fine-tune (randomized SVD of tuned - base)";
    }

    @Override
    public String synopsis() {
        return "--base MODEL --tuned MODEL --out DIR (--rank N | --tol T) [--targets q_proj,v_proj,...] "
                + "[--max-rank N] [--dtype auto|f32|f16|bf16] [--seed S] [--json] [--force]";
    }

    @Override
    public String details() {
        return """
                MODEL is a folder with model.safetensors or model.safetensors.index.json (sharded), or one
                .safetensors file, with Hugging Face key names (model.layers.0.self_attn.q_proj.weight, out x in).
                Every 2-D weight whose module name ends with a target is factored: tuned - base ~ B A, written
                as base_model.model.<module>.lora_A/B.weight with lora_alpha = r (scale 1). --rank N gives every
                module rank N; --tol T gives each module the smallest rank with relative Frobenius error <= T
                (at most --max-rank, default 256), recorded in rank_pattern/alpha_pattern.
                Shape or dtype differences between the two models exit 3 naming the tensor.
                A one-line summary goes to stderr; --json prints every module's rank and error on stdout.

                example:
                  extsub extract --base llama-7b --tuned llama-7b-sft --out sft-lora --rank 64
                """;
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("base", "MODEL", "the base model (folder or .safetensors file)"),
                Option.value("tuned", "MODEL", "the fully fine-tuned model, same architecture"),
                Option.value("out", "DIR", "where to write the LoRA adapter folder"),
                Option.value("rank", "N", "rank of every module"),
                Option.value("tol", "T", "per module, the smallest rank with relative error <= T (0 < T < 1)"),
                Option.value("targets", "LIST", "comma-separated module names (default q_proj,v_proj)"),
                Option.value("max-rank", "N", "with --tol: largest rank (default 256)"),
                Option.value("dtype", "T", "factor dtype: auto (the tuned weight's), f32, f16, bf16 (default auto)"),
                Option.value("seed", "S", "seed of the randomized SVD (default 0)"),
                Option.flag("json", "print the report (each module's rank and error) as JSON on stdout"),
                Option.flag("force", "replace a non-empty --out folder"));
    }

    @Override
    public int run(ParsedArgs args, CommandContext ctx) throws Exception {
        Path base = args.requiredPath("base");
        Path tuned = args.requiredPath("tuned");
        Path out = args.requiredPath("out");
        Optional<Integer> rank = args.intValue("rank", 1, 1 << 20);
        boolean hasTol = args.value("tol").isPresent();
        if (rank.isPresent() == hasTol) {
            throw new UsageException("give exactly one of --rank N and --tol T");
        }
        RankChoice choice;
        if (rank.isPresent()) {
            choice = new RankChoice.Fixed(rank.get());
        } else {
            double tol = args.doubleValue("tol", 0);
            if (!(tol > 0 && tol < 1)) {
                throw new UsageException("--tol: expected a relative error in (0, 1), got " + tol);
            }
            choice = new RankChoice.Tolerance(tol, args.intValue("max-rank", 1, 1 << 20).orElse(256));
        }
        List<String> targets = new ArrayList<>();
        for (String t : args.value("targets").orElse("q_proj,v_proj").split(",")) {
            if (!t.isBlank()) {
                targets.add(t.strip());
            }
        }
        if (targets.isEmpty()) {
            throw new UsageException("--targets: no module names given");
        }
        DType dtype = args.dtype("dtype", true).orElse(null); // null: the tuned weight's dtype
        long seed = args.longValue("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        ProgressBar bar = ctx.errIsTerminal() ? new ProgressBar(ctx.err(), "extract") : null;
        ExtractReport report;
        try {
            report = LoraExtractor.extract(new ExtractRequest(base, tuned, out, choice, targets, dtype, seed,
                    args.flag("force"), bar == null ? ProgressListener.NONE : bar));
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        if (args.flag("json")) {
            ctx.out().println(Json.writePretty(report.toJson()));
        }
        double worst = 0;
        int minRank = Integer.MAX_VALUE;
        int maxRank = 0;
        for (ExtractedModule m : report.modules()) {
            worst = Math.max(worst, m.relativeError());
            minRank = Math.min(minRank, m.rank());
            maxRank = Math.max(maxRank, m.rank());
        }
        int count = report.modules().size();
        ctx.err().printf(Locale.ROOT, "extracted %d module%s into %s: rank %s, largest relative error %.4g, %s (%.2f s)%n",
                count, count == 1 ? "" : "s", report.out(), minRank == maxRank ? Integer.toString(minRank) : minRank + ".." + maxRank,
                worst, Summary.bytes(report.outputBytes()), report.seconds());
        return ExitCode.OK;
    }
}
