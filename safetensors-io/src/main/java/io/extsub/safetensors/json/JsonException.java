package io.extsub.safetensors.json;

/**
 * Text is not valid JSON under RFC 8259, or exceeds a {@link JsonLimits}. The message is one
 * line, {@code at offset 123: expected ':'}; the offset counts UTF-16 chars from the start.
 */
public class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String problem;

    public JsonException(int position, String problem) {
        super("at offset " + position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    public int position() {
        return position;
    }

    /** The message without the position prefix. */
    public String problem() {
        return problem;
    }
}
