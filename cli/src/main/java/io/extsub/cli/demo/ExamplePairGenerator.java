package io.extsub.cli.demo;

import io.extsub.safetensors.DType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Regenerates the example pair bundled with the CLI for {@code extsub demo}
 * ({@link PairSpec#demo()}: 4 layers, q_proj and v_proj 256x256, LoRA r 8, lora_alpha 16,
 * F32, seed 20231115), into {@code cli/src/main/resources/demo/{expert,anti_expert}}:
 *
 * <pre>
 *   java -cp cli/target/extsub.jar io.extsub.cli.demo.ExamplePairGenerator cli/src/main/resources/demo
 * </pre>
 *
 * The files are committed (about 130 KB each); a test checks that they are byte for byte what
 * this generator writes, so they cannot drift from their documented recipe.
 */
public final class ExamplePairGenerator {
    private ExamplePairGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExamplePairGenerator OUTPUT_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        PairWriter.write(PairSpec.demo(), dir, DType.F32);
        System.out.println("wrote " + dir.resolve(PairWriter.EXPERT) + " and " + dir.resolve(PairWriter.ANTI_EXPERT));
    }
}
