package io.extsub.cli;

import io.extsub.peft.AdapterArithmetic;
import io.extsub.peft.Operation;
import io.extsub.peft.OperationReport;
import io.extsub.peft.OperationRequest;
import io.extsub.peft.OutputDType;
import io.extsub.peft.ProgressListener;
import io.extsub.peft.RankLimit;
import io.extsub.safetensors.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code ext-sub}, {@code subtract} and {@code add}: one adapter pair in, one adapter folder out. */
final class OperationCommand implements Command {

    enum Kind {
        EXT_SUB("ext-sub", "Ext-Sub: remove from the expert only the deficiency the anti-expert holds"),
        SUBTRACT("subtract", "plain subtraction: expert - alpha * anti-expert"),
        ADD("add", "plain addition: expert + alpha * anti-expert (the second adapter)");

        final String word;
        final String summary;

        Kind(String word, String summary) {
            this.word = word;
            this.summary = summary;
        }

        Operation operation(double alpha) {
            return switch (this) {
                case EXT_SUB -> new Operation.ExtSub(alpha);
                case SUBTRACT -> new Operation.Subtract(alpha);
                case ADD -> new Operation.Add(alpha);
            };
        }
    }

    static final List<Option> OPTIONS = List.of(
            Option.value("expert", "DIR", "the expert adapter folder (adapter_config.json + weights)"),
            Option.value("anti-expert", "DIR", "the anti-expert adapter folder (for add: the second adapter)"),
            Option.value("out", "DIR", "where to write the result (a new PEFT adapter folder)"),
            Option.value("alpha", "A", "weight of the anti-expert (default 1.0)"),
            Option.value("dtype", "T", "output dtype: auto (the expert's), f32, f16, bf16 (default auto)"),
            Option.value("rank", "N", "LoRA: recompress every module to rank N (default: exact rank r1+r2)"),
            Option.value("tol", "T", "LoRA: recompress every module to the smallest rank within relative error T"),
            Option.flag("json", "print the report as JSON on stdout"),
            Option.flag("force", "replace a non-empty --out folder"));

    private final Kind kind;

    OperationCommand(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.word;
    }

    @Override
    public String summary() {
        return kind.summary;
    }

    @Override
    public String synopsis() {
        return "--expert DIR --anti-expert DIR --out DIR [--alpha A] [--dtype auto|f32|f16|bf16] [--rank N | --tol T] [--json] [--force]";
    }

    @Override
    public String details() {
        return """
                Inputs are PEFT adapter folders (LoRA, IA3 or prefix tuning) with the same modules and shapes.
                The output folder holds adapter_model.safetensors, adapter_config.json and README.md; it is
                written beside --out first and renamed into place, so a failed run leaves nothing behind.
                A human summary goes to stderr; --json prints the machine-readable report on stdout.

                example:
                  extsub %s --expert truthful-lora --anti-expert untruthful-lora --out result --alpha 1.0
                """.formatted(kind.word);
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs args, CommandContext ctx) throws Exception {
        OperationRequest request = request(args, kind);
        OperationReport report = execute(request, ctx, args.flag("json"));
        Summary.print(report, ctx.err());
        return ExitCode.OK;
    }

    /** Builds the request from the options shared by the three operations. */
    static OperationRequest request(ParsedArgs args, Kind kind) throws UsageException {
        Path expert = args.requiredPath("expert");
        Path anti = args.requiredPath("anti-expert");
        Path out = args.requiredPath("out");
        return new OperationRequest(expert, anti, out, kind.operation(args.doubleValue("alpha", 1.0)),
                dtype(args), args.flag("force"), rankLimit(args));
    }

    static Optional<OutputDType> dtype(ParsedArgs args) throws UsageException {
        return args.choice("dtype", List.of("auto", "f32", "f16", "bf16")).flatMap(d -> switch (d) {
            case "f32" -> Optional.of(OutputDType.F32);
            case "f16" -> Optional.of(OutputDType.F16);
            case "bf16" -> Optional.of(OutputDType.BF16);
            default -> Optional.empty();
        });
    }

    static Optional<RankLimit> rankLimit(ParsedArgs args) throws UsageException {
        Optional<Integer> rank = args.intValue("rank", 1, Integer.MAX_VALUE);
        boolean hasTol = args.value("tol").isPresent();
        if (rank.isPresent() && hasTol) {
            throw new UsageException("--rank and --tol exclude each other");
        }
        if (rank.isPresent()) {
            return Optional.of(new RankLimit.Rank(rank.get()));
        }
        if (hasTol) {
            double tol = args.doubleValue("tol", 0);
            if (!(tol >= 0 && tol < 1)) {
                throw new UsageException("--tol: expected a relative error in [0, 1), got " + tol);
            }
            return Optional.of(new RankLimit.Tolerance(tol));
        }
        return Optional.empty();
    }

    /** Runs the request with a progress bar when stderr is a terminal; prints JSON if asked. */
    static OperationReport execute(OperationRequest request, CommandContext ctx, boolean json) throws Exception {
        ProgressBar bar = ctx.errIsTerminal() ? new ProgressBar(ctx.err(), request.operation().name()) : null;
        OperationReport report;
        try {
            report = AdapterArithmetic.run(request, bar == null ? ProgressListener.NONE : bar);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        if (json) {
            ctx.out().println(Json.writePretty(report.toJson()));
        }
        return report;
    }
}
