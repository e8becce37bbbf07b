package io.extsub.cli.demo;

/**
 * The generated LoRA factors of one module, row-major float32: {@code A} is rank x in,
 * {@code B} is out x rank, for the expert (1) and the anti-expert (2).
 */
public record ModuleFactors(String prefix, int out, int in, int rank,
                            float[] a1, float[] b1, float[] a2, float[] b2) {}
