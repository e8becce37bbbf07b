package io.extsub.peft;

/**
 * The layer kinds PEFT puts LoRA on, and how rows of the delta are taken:
 * LINEAR: delta = B A (out x in), rows are output features; CONV: A (r, in, k...) is
 * flattened to r x (in*k...) and B (out, r, 1...) to out x r, rows are output channels;
 * EMBEDDING: PEFT's delta is (B A)^T (num_embeddings x embedding_dim), the shape of the
 * embedding weight, so rows are token vectors: we take B' = A^T and A' = B^T.
 */
public enum LoraKind {
    LINEAR("linear"), CONV("conv"), EMBEDDING("embedding");

    private final String label;

    LoraKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
