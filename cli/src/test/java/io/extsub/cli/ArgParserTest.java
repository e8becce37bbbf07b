package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgParserTest {
    private static final List<Option> SPEC = List.of(
            Option.value("out", "DIR", "output"),
            Option.value("alpha", "A", "weight"),
            Option.value("rank", "N", "rank"),
            Option.flag("json", "json"));

    private static ParsedArgs parse(int min, int max, String... args) throws UsageException {
        return ArgParser.parse(SPEC, List.of(args), min, max);
    }

    @Test
    void spaceAndEqualsFormsGiveTheSameValues() throws UsageException {
        ParsedArgs a = parse(0, 1, "--out", "x", "--alpha", "0.5", "--json", "p");
        ParsedArgs b = parse(0, 1, "p", "--out=x", "--json", "--alpha=0.5");
        for (ParsedArgs p : List.of(a, b)) {
            assertEquals(Path.of("x"), p.requiredPath("out"));
            assertEquals(0.5, p.doubleValue("alpha", 1.0));
            assertTrue(p.flag("json"));
            assertEquals(List.of("p"), p.positionals());
        }
    }

    @Test
    void valuesMayLookLikeNegativeNumbersOrBeEmptyAfterEquals() throws UsageException {
        ParsedArgs p = parse(0, 0, "--alpha", "-2.5");
        assertEquals(-2.5, p.doubleValue("alpha", 1.0));
        ParsedArgs q = parse(0, 0, "--out=");
        assertEquals(Optional.of(""), q.value("out"));
        UsageException e = assertThrows(UsageException.class, () -> q.requiredPath("out"));
        assertEquals("--out: empty path", e.getMessage());
    }

    @Test
    void defaultsApplyWhenAbsent() throws UsageException {
        ParsedArgs p = parse(0, 0);
        assertEquals(1.0, p.doubleValue("alpha", 1.0));
        assertFalse(p.flag("json"));
        assertEquals(Optional.empty(), p.intValue("rank", 1, 100));
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        ParsedArgs p = parse(0, 2, "--", "--json", "-x");
        assertFalse(p.flag("json"));
        assertEquals(List.of("--json", "-x"), p.positionals());
    }

    @Test
    void unknownOptionIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse(0, 0, "--outt", "x"));
        assertEquals("unknown option '--outt'", e.getMessage());
        UsageException s = assertThrows(UsageException.class, () -> parse(0, 0, "-o", "x"));
        assertTrue(s.getMessage().startsWith("unknown option '-o'"), s.getMessage());
    }

    @Test
    void missingValueIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse(0, 0, "--out"));
        assertEquals("option --out needs a value (DIR)", e.getMessage());
    }

    @Test
    void flagWithValueIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse(0, 0, "--json=yes"));
        assertEquals("option --json takes no value", e.getMessage());
    }

    @Test
    void repeatedOptionIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse(0, 0, "--alpha", "1", "--alpha=2"));
        assertEquals("option --alpha given twice", e.getMessage());
    }

    @Test
    void badNumbersAreUsageErrors() throws UsageException {
        ParsedArgs p = parse(0, 0, "--alpha", "one", "--rank", "1.5");
        assertEquals("--alpha: not a number: 'one'", assertThrows(UsageException.class, () -> p.doubleValue("alpha", 1)).getMessage());
        assertEquals("--rank: not an integer: '1.5'", assertThrows(UsageException.class, () -> p.intValue("rank", 1, 10)).getMessage());
        ParsedArgs q = parse(0, 0, "--alpha", "NaN", "--rank", "0");
        assertEquals("--alpha: not a finite number: 'NaN'", assertThrows(UsageException.class, () -> q.doubleValue("alpha", 1)).getMessage());
        assertEquals("--rank: 0 is out of range [1, 10]", assertThrows(UsageException.class, () -> q.intValue("rank", 1, 10)).getMessage());
    }

    @Test
    void positionalCountIsChecked() {
        assertEquals("missing argument", assertThrows(UsageException.class, () -> parse(1, 1)).getMessage());
        assertEquals("unexpected argument 'b'", assertThrows(UsageException.class, () -> parse(1, 1, "a", "b")).getMessage());
    }

    @Test
    void choiceIsCaseInsensitiveAndChecked() throws UsageException {
        List<Option> spec = List.of(Option.value("dtype", "T", "dtype"));
        assertEquals(Optional.of("bf16"), ArgParser.parse(spec, List.of("--dtype=BF16"), 0, 0).choice("dtype", List.of("f32", "bf16")));
        ParsedArgs bad = ArgParser.parse(spec, List.of("--dtype", "f8"), 0, 0);
        assertEquals("--dtype: expected one of f32, bf16, got 'f8'",
                assertThrows(UsageException.class, () -> bad.choice("dtype", List.of("f32", "bf16"))).getMessage());
    }
}
