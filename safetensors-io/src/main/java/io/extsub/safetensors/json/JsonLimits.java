package io.extsub.safetensors.json;

/**
 * Bounds the parser enforces so hostile input cannot exhaust the stack or memory.
 *
 * @param maxDepth       deepest nesting of arrays and objects (the top value is depth 1)
 * @param maxChars       longest accepted document, in UTF-16 chars
 * @param maxStringChars longest accepted string or member name, after unescaping
 * @param maxNumberChars longest accepted number text (keeps BigDecimal work bounded)
 */
public record JsonLimits(int maxDepth, int maxChars, int maxStringChars, int maxNumberChars) {

    /**
     * Defaults fit safetensors headers (the format caps them at 100,000,000 bytes) and config
     * files: depth 64, 100,000,000 chars, strings up to 1,000,000 chars, numbers up to 1,000.
     */
    public static final JsonLimits DEFAULT = new JsonLimits(64, 100_000_000, 1_000_000, 1_000);

    public JsonLimits {
        if (maxDepth < 1 || maxChars < 0 || maxStringChars < 0 || maxNumberChars < 1) {
            throw new IllegalArgumentException("bad JSON limits");
        }
    }
}
