package io.extsub.safetensors.json;

/**
 * An object repeats a member name. Callers that give names a meaning (tensor names in a
 * safetensors header) use {@link #key()} and {@link #depth()} to word their own message.
 */
public class JsonDuplicateKeyException extends JsonException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int depth;

    public JsonDuplicateKeyException(int position, String key, int depth) {
        super(position, "duplicate member name " + JsonParser.quote(key));
        this.key = key;
        this.depth = depth;
    }

    public String key() {
        return key;
    }

    /** Nesting depth of the object holding the duplicate: 1 for the top-level object. */
    public int depth() {
        return depth;
    }
}
