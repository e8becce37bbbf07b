package io.extsub.peft;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code get_pattern_key} (peft/utils/other.py): the keys of rank_pattern and
 * alpha_pattern are regular expressions tried in insertion order; the first key k for which
 * {@code re.match(rf"(.*\.)?({k})$", module)} matches wins. The module name is the one in the
 * model, i.e. the state-dict key without "base_model.model." and the LoRA suffix.
 */
final class PatternKeys {
    private PatternKeys() {}

    /** The value of the first matching key, in the map's iteration order (JSON order). */
    static <V> Optional<V> lookup(Map<String, V> patterns, String module) {
        for (Map.Entry<String, V> e : patterns.entrySet()) {
            if (matches(e.getKey(), module)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    static boolean matches(String key, String module) {
        try {
            // Python's re.match anchors at the start; with the trailing $ this is a full match.
            return Pattern.compile("(.*\\.)?(" + key + ")$").matcher(module).matches();
        } catch (PatternSyntaxException e) {
            // Not a regex Java understands: PEFT users mostly write plain names, compare literally.
            return module.equals(key) || module.endsWith("." + key);
        }
    }
}
