package io.extsub.safetensors.json;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON number kept as its exact text, so reading and writing it again changes nothing and
 * integers larger than 2^53 survive (RFC 8259 §6 leaves precision to the implementation).
 */
public record JsonNumber(String lexeme) implements JsonValue {

    public JsonNumber {
        Objects.requireNonNull(lexeme, "lexeme");
        if (grammarEnd(lexeme, 0) != lexeme.length() || lexeme.isEmpty()) {
            throw new IllegalArgumentException("not a JSON number: " + lexeme);
        }
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /**
     * The shortest text that reads back as the same double (JDK 19+ {@code Double.toString}
     * is shortest round-trip; its {@code 1.0E-5} form is valid JSON).
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot express
     */
    public static JsonNumber of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        return new JsonNumber(Double.toString(value));
    }

    /** Nearest double (overflow gives an infinity, as {@link Double#parseDouble} does). */
    public double doubleValue() {
        return Double.parseDouble(lexeme);
    }

    /** True when the text is written as an integer: no fraction and no exponent. */
    public boolean isIntegral() {
        for (int i = 0; i < lexeme.length(); i++) {
            char c = lexeme.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    /**
     * The value as a long.
     * @throws ArithmeticException when it has a non-zero fraction or does not fit
     */
    public long longValueExact() {
        if (isIntegral()) {
            try {
                return Long.parseLong(lexeme);
            } catch (NumberFormatException e) {
                throw new ArithmeticException("out of long range: " + lexeme);
            }
        }
        // BigDecimal.longValueExact checks precision - scale before expanding, so a huge
        // exponent such as 1e999999999 fails fast instead of building a giant integer.
        return bigDecimalValue().longValueExact();
    }

    public BigDecimal bigDecimalValue() {
        return new BigDecimal(lexeme);
    }

    @Override
    public String typeName() {
        return "number";
    }

    @Override
    public String toString() {
        return lexeme;
    }

    /**
     * Index just past the number that starts at {@code from} (RFC 8259 §6 grammar:
     * {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}), or {@code -(i + 1)}
     * when the text is not a number and the first wrong character is at {@code i}.
     */
    static int grammarEnd(CharSequence s, int from) {
        int n = s.length();
        int i = from;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return -(i + 1);
        }
        char c = s.charAt(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        } else {
            return -(i + 1);
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            if (i >= n || !isDigit(s.charAt(i))) {
                return -(i + 1);
            }
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i >= n || !isDigit(s.charAt(i))) {
                return -(i + 1);
            }
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
