package io.extsub.peft;

import io.extsub.safetensors.TensorView;
import java.util.Arrays;
import java.util.List;

/** One trainable module of an adapter, as found in its weights file. */
public sealed interface AdapterModule permits AdapterModule.Lora, AdapterModule.Ia3, AdapterModule.Prefix {

    /** State-dict prefix, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj}; "prompt_embeddings" for prefix tuning. */
    String key();

    /** "linear", "conv", "embedding", "ia3" or "prefix". */
    String kind();

    /** What must agree between expert and anti-expert for the pair to be valid (not the rank). */
    String shapeSignature();

    /** The delta's shape as its rows are taken (LoRA) or the tensor's shape. */
    List<Long> shape();

    /**
     * A LoRA module: delta = scale * B A with rows x cols after flattening (conv) or
     * transposing (embedding, see {@link LoraKind}). {@code a} and {@code b} are the stored tensors.
     */
    record Lora(String key, LoraKind loraKind, TensorView a, TensorView b, int rank, int rows, int cols, double scale)
            implements AdapterModule {
        @Override
        public String kind() {
            return loraKind.label();
        }

        @Override
        public String shapeSignature() {
            long[] as = a.shape();
            String trailing = as.length > 2 ? " kernel " + Arrays.toString(Arrays.copyOfRange(as, 2, as.length)) : "";
            return loraKind.label() + " " + rows + "x" + cols + trailing;
        }

        @Override
        public List<Long> shape() {
            return List.of((long) rows, (long) cols);
        }
    }

    /** An IA3 vector {@code l} (out x 1, or 1 x in for feedforward modules). */
    record Ia3(String key, TensorView l) implements AdapterModule {
        @Override
        public String kind() {
            return "ia3";
        }

        @Override
        public String shapeSignature() {
            return "ia3 " + l.shapeString();
        }

        @Override
        public List<Long> shape() {
            return Arrays.stream(l.shape()).boxed().toList();
        }
    }

    /** Prefix tuning's prompt_embeddings and its (T, 2L, H, D/H) view. */
    record Prefix(String key, TensorView embeddings, PrefixGeometry geometry) implements AdapterModule {
        @Override
        public String kind() {
            return "prefix";
        }

        @Override
        public String shapeSignature() {
            return "prefix " + embeddings.shapeString() + " heads " + geometry.heads();
        }

        @Override
        public List<Long> shape() {
            return Arrays.stream(embeddings.shape()).boxed().toList();
        }
    }
}
