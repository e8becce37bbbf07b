package io.extsub.cli;

import io.extsub.cli.demo.PairSpec;
import io.extsub.cli.demo.PairStats;
import io.extsub.cli.demo.PairWriter;
import io.extsub.peft.Operation;
import io.extsub.peft.OperationReport;
import io.extsub.peft.OperationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code demo}: Ext-Sub on the example pair bundled in the jar (made by
 * {@link io.extsub.cli.demo.ExamplePairGenerator}). The pair is copied to a temporary folder,
 * the operation runs exactly as {@code ext-sub} would, and the temporary copy is removed.
 */
final class DemoCommand implements Command {
    static final Path DEFAULT_OUT = Path.of("extsub-demo-out");
    static final List<String> FILES = List.of("adapter_config.json", "adapter_model.safetensors");
    /** How the result's README names the inputs: their temporary copy is gone after the run. */
    static final String BUNDLED = "the bundled example pair of `extsub demo`, made by io.extsub.cli.demo.ExamplePairGenerator";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run ext-sub on the bundled example adapter pair";
    }

    @Override
    public String synopsis() {
        return "[--out DIR] [--alpha A] [--force] [--json]";
    }

    @Override
    public String details() {
        return """
                The example pair: LLaMA-style LoRA adapters (4 layers, q_proj and v_proj 256x256, r 8,
                lora_alpha 16, F32), an expert and an anti-expert correlated like trained pairs, made by
                io.extsub.cli.demo.ExamplePairGenerator (seeded). The result is a PEFT LoRA adapter of
                rank 16 per module in --out (default ./extsub-demo-out, replaced when it holds
                only an earlier demo result).
                """;
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("out", "DIR", "where to write the result (default ./extsub-demo-out)"),
                Option.value("alpha", "A", "Ext-Sub weight of the anti-expert (default 1.0)"),
                Option.flag("force", "replace a non-empty --out folder"),
                Option.flag("json", "print the report as JSON on stdout"));
    }

    @Override
    public int run(ParsedArgs args, CommandContext ctx) throws Exception {
        Path out = args.path("out").orElse(DEFAULT_OUT);
        // Running the README's main-job command twice must work: the default folder is
        // replaced when it holds nothing but an earlier demo result.
        boolean force = args.flag("force") || (args.path("out").isEmpty() && isEarlierDemoResult(out));
        double alpha = args.doubleValue("alpha", 1.0);
        boolean json = args.flag("json");
        PrintStream say = json ? ctx.err() : ctx.out();
        PairSpec spec = PairSpec.demo();
        Path inputs = Files.createTempDirectory("extsub-demo-");
        try {
            Path expert = extract(PairWriter.EXPERT, inputs);
            Path anti = extract(PairWriter.ANTI_EXPERT, inputs);
            describe(spec, say);
            OperationRequest request = new OperationRequest(expert, anti, out, new Operation.ExtSub(alpha),
                    Optional.empty(), force, Optional.empty())
                    .withInputLabels(new OperationRequest.InputLabels(BUNDLED + " (expert)", BUNDLED + " (anti-expert)"));
            OperationReport report = OperationCommand.execute(request, ctx, json);
            Summary.print(report, say, "(bundled example)", "(bundled example)");
            Path where = report.output().toAbsolutePath().normalize();
            say.println();
            say.println("Result: " + where);
            say.printf(Locale.ROOT, "  a PEFT LoRA adapter: %d modules, rank %s each, exactly the Ext-Sub of the pair%n",
                    report.moduleCount(), outputRanks(report));
            say.println("  (adapter_model.safetensors, adapter_config.json, README.md); look inside with:");
            say.println("  extsub inspect " + where);
            return ExitCode.OK;
        } finally {
            deleteTree(inputs);
        }
    }

    /** True when dir holds exactly the three files of an earlier demo run (its README names the bundled pair). */
    static boolean isEarlierDemoResult(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        List<String> names;
        try (Stream<Path> list = Files.list(dir)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (!names.equals(List.of("README.md", "adapter_config.json", "adapter_model.safetensors"))) {
            return false;
        }
        Path readme = dir.resolve("README.md");
        return Files.size(readme) < 65536 && Files.readString(readme).contains(BUNDLED);
    }

    private static void describe(PairSpec spec, PrintStream s) {
        PairStats.CosineRange cos = PairStats.cosineRange(spec);
        StringBuilder mods = new StringBuilder();
        for (PairSpec.ModuleShape m : spec.modules()) {
            mods.append(mods.isEmpty() ? "" : ", ").append(m.name()).append(' ').append(m.out()).append('x').append(m.in());
        }
        s.println("extsub demo: Ext-Sub of the bundled example pair (made by io.extsub.cli.demo.ExamplePairGenerator)");
        s.printf(Locale.ROOT, "  expert, anti-expert: LoRA r %d, lora_alpha %s, F32, %d layers x {%s}%n",
                spec.rank(), Summary.fmtNumber(spec.expertAlpha()), spec.layers(), mods);
        s.printf(Locale.ROOT, "  row cosines of their deltas: %.2f .. %.2f (shared skill plus each one's own part)%n",
                cos.min(), cos.max());
        s.println("  Ext-Sub keeps the expert and removes only the part of the anti-expert it does not share");
        s.println("  (row i: (1 + alpha*|w2|/(2|w1|)) w1 - (alpha/2) w2, exactly a LoRA of rank r1 + r2).");
        s.println();
    }

    private static String outputRanks(OperationReport r) {
        int min = r.modules().stream().mapToInt(m -> m.outputRank()).min().orElse(0);
        int max = r.modules().stream().mapToInt(m -> m.outputRank()).max().orElse(0);
        return min == max ? Integer.toString(min) : min + ".." + max;
    }

    /** Copies {@code demo/<name>/*} from the jar into {@code dir/<name>}. */
    static Path extract(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        for (String f : FILES) {
            String resource = "/demo/" + name + "/" + f;
            try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the example pair is missing from the jar: " + resource);
                }
                Files.copy(in, target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp folder is not worth failing the run for
        }
    }
}
