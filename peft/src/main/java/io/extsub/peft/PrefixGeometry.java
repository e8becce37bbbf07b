package io.extsub.peft;

/**
 * How prefix tuning's {@code prompt_embeddings} (T x L*2*D) is laid out: T =
 * num_virtual_tokens * num_transformer_submodules, then for each token 2L vectors (key and
 * value per layer) of D = token_dim, each split into H heads of D/H. Viewed as
 * (T, 2L, H, D/H), every head vector is one Ext-Sub row, so rows are contiguous runs of
 * {@link #headDim()} values.
 */
public record PrefixGeometry(int tokens, int layers, int heads, int tokenDim) {

    public static PrefixGeometry of(AdapterConfig config) throws AdapterException {
        int nvt = config.positiveInt("num_virtual_tokens");
        int submodules = config.optionalPositiveInt("num_transformer_submodules").orElse(1);
        int layers = config.positiveInt("num_layers");
        int heads = config.positiveInt("num_attention_heads");
        int dim = config.positiveInt("token_dim");
        if (dim % heads != 0) {
            throw new AdapterException(config.file(), "token_dim " + dim + " is not a multiple of num_attention_heads " + heads);
        }
        return new PrefixGeometry(Math.multiplyExact(nvt, submodules), layers, heads, dim);
    }

    public int headDim() {
        return tokenDim / heads;
    }

    /** Expected shape of prompt_embeddings: (tokens, layers * 2 * token_dim). */
    public long[] expectedShape() {
        return new long[] {tokens, Math.multiplyExact(Math.multiplyExact(2L, layers), tokenDim)};
    }

    /** Number of head rows, T * 2L * H. */
    public long rowCount() {
        return Math.multiplyExact(Math.multiplyExact((long) tokens, 2L * layers), heads);
    }
}
