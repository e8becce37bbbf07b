package io.extsub.cli;

import io.extsub.cli.demo.PairSpec;
import io.extsub.cli.demo.PairWriter;
import io.extsub.peft.OutputFolder;
import io.extsub.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code generate-pair}: writes a synthetic, seeded expert / anti-expert LoRA pair of any
 * LLaMA-like size ({@link io.extsub.cli.demo.LoraPairGenerator}), e.g. the LLaMA-7B and
 * LLaMA-70B-shaped pairs the benchmarks of docs/benchmarks.md run on.
 */
final class GeneratePairCommand implements Command {

    @Override
    public String name() {
        return "generate-pair";
    }

    @Override
    public String summary() {
        return "write a synthetic expert/anti-expert LoRA pair (benchmarks, experiments)";
    }

    @Override
    public String synopsis() {
        return "--out DIR [--preset demo|7b|70b] [--layers N] [--hidden H] [--v-out N] [--rank R] [--alpha A] "
                + "[--anti-alpha A] [--seed S] [--dtype f32|f16|bf16] [--force]";
    }

    @Override
    public String details() {
        return """
                Writes DIR/expert and DIR/anti_expert, PEFT LoRA folders targeting q_proj (hidden x hidden) and
                v_proj (v-out x hidden) of every layer, with PEFT's LLaMA key names. The presets:
                  demo  4 layers, hidden 256, r 8 (the pair bundled for 'extsub demo')
                  7b    32 layers, hidden 4096, r 16 (LLaMA-7B-shaped, about 34 MB per adapter in F32)
                  70b   80 layers, hidden 8192, v-out 1024 (grouped-query attention), r 16
                Options given explicitly override the preset (default preset: 7b).

                example:
                  extsub generate-pair --preset 7b --out /tmp/pair7b
                  extsub ext-sub --expert /tmp/pair7b/expert --anti-expert /tmp/pair7b/anti_expert --out /tmp/out7b
                """;
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("out", "DIR", "folder to create expert/ and anti_expert/ in"),
                Option.value("preset", "P", "demo, 7b or 70b (default 7b)"),
                Option.value("layers", "N", "decoder layers"),
                Option.value("hidden", "H", "hidden size: q_proj is H x H, v_proj takes H inputs"),
                Option.value("v-out", "N", "v_proj output features (default H; LLaMA-70B: 1024)"),
                Option.value("rank", "R", "LoRA rank of both adapters"),
                Option.value("alpha", "A", "lora_alpha of the expert"),
                Option.value("anti-alpha", "A", "lora_alpha of the anti-expert (default: the expert's)"),
                Option.value("seed", "S", "random seed"),
                Option.value("dtype", "T", "f32, f16 or bf16 (default f32)"),
                Option.flag("force", "replace a non-empty --out folder"));
    }

    @Override
    public int run(ParsedArgs args, CommandContext ctx) throws Exception {
        Path out = args.requiredPath("out");
        PairSpec base = switch (args.choice("preset", List.of("demo", "7b", "70b")).orElse("7b")) {
            case "demo" -> PairSpec.demo();
            case "70b" -> PairSpec.llama70b();
            default -> PairSpec.llama7b();
        };
        int layers = args.intValue("layers", 1, 10_000).orElse(base.layers());
        PairSpec.ModuleShape q = base.modules().get(0);
        PairSpec.ModuleShape v = base.modules().get(1);
        int hidden = args.intValue("hidden", 1, 1 << 20).orElse(q.in());
        boolean hiddenGiven = args.value("hidden").isPresent();
        int vOut = args.intValue("v-out", 1, 1 << 20).orElse(hiddenGiven ? hidden : v.out());
        int rank = args.intValue("rank", 1, 1 << 16).orElse(base.rank());
        double alpha = args.doubleValue("alpha", base.expertAlpha());
        double antiAlpha = args.doubleValue("anti-alpha", args.value("alpha").isPresent() ? alpha : base.antiAlpha());
        long seed = args.longValue("seed", base.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
        DType dtype = args.dtype("dtype", false).orElse(DType.F32);
        if (rank > Math.min(hidden, vOut)) {
            throw new UsageException("--rank " + rank + " exceeds the smallest module dimension " + Math.min(hidden, vOut));
        }
        PairSpec spec = new PairSpec(layers, List.of(new PairSpec.ModuleShape("q_proj", hidden, hidden),
                new PairSpec.ModuleShape("v_proj", vOut, hidden)), rank, alpha, antiAlpha, seed, base.baseModel());
        long t0 = System.nanoTime();
        // Atomic, as every output folder of the tool: a failed or interrupted run leaves nothing.
        OutputFolder.write(out, args.flag("force"), List.of(), dir -> PairWriter.write(spec, dir, dtype));
        long bytes = Files.size(out.resolve(PairWriter.EXPERT).resolve("adapter_model.safetensors"));
        ctx.err().printf(Locale.ROOT, "wrote %s and %s: %d layers x {q_proj %dx%d, v_proj %dx%d}, r %d, %s, %s each (%.2f s)%n",
                out.resolve(PairWriter.EXPERT), out.resolve(PairWriter.ANTI_EXPERT), layers, hidden, hidden, vOut, hidden,
                rank, dtype, Summary.bytes(bytes), (System.nanoTime() - t0) / 1e9);
        return ExitCode.OK;
    }
}
