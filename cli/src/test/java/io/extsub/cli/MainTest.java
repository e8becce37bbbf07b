package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEveryCommandOnStdout() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exitCode(), r::toString);
        for (Command c : Commands.all()) {
            assertTrue(r.out().contains("  " + c.name() + " "), () -> c.name() + " missing in\n" + r.out());
        }
        assertEquals("", r.err());
        assertEquals(r.out(), CliRun.of("help").out());
    }

    @Test
    void commandHelpShowsItsOptions() {
        CliRun r = CliRun.of("ext-sub", "--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("usage: extsub ext-sub --expert DIR"), r.out());
        for (String opt : new String[] {"--anti-expert DIR", "--alpha A", "--dtype T", "--rank N", "--tol T", "--json", "--force"}) {
            assertTrue(r.out().contains(opt), opt);
        }
        assertEquals(r.out(), CliRun.of("help", "ext-sub").out());
    }

    @Test
    void versionPrintsOneLine() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().matches("extsub \\S+\\n"), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.of();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().endsWith("extsub: error: no command given (see 'extsub help')\n"), r.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun r = CliRun.of("ext-subb");
        assertEquals(2, r.exitCode());
        assertEquals("extsub: error: unknown command 'ext-subb' (see 'extsub help')", r.singleErrorLine());
    }

    @Test
    void unknownOptionNamesTheCommand() {
        CliRun r = CliRun.of("ext-sub", "--expert", "a", "--anti-expert", "b", "--out", "c", "--alhpa", "1");
        assertEquals(2, r.exitCode());
        assertEquals("extsub: error: ext-sub: unknown option '--alhpa' (see 'extsub ext-sub --help')", r.singleErrorLine());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun r = CliRun.of("subtract", "--expert", "a", "--out", "c");
        assertEquals(2, r.exitCode());
        assertEquals("extsub: error: missing required option --anti-expert", r.singleErrorLine());
    }

    @Test
    void badNumberIsAUsageError() {
        CliRun r = CliRun.of("add", "--expert", "a", "--anti-expert", "b", "--out", "c", "--alpha", "x");
        assertEquals(2, r.exitCode());
        assertEquals("extsub: error: --alpha: not a number: 'x'", r.singleErrorLine());
        CliRun t = CliRun.of("ext-sub", "--expert", "a", "--anti-expert", "b", "--out", "c", "--rank", "4", "--tol", "0.1");
        assertEquals(2, t.exitCode());
        assertEquals("extsub: error: --rank and --tol exclude each other", t.singleErrorLine());
    }

    @Test
    void debugIsAcceptedAnywhere() {
        CliRun r = CliRun.of("--debug", "--version");
        assertEquals(0, r.exitCode(), r::toString);
        CliRun s = CliRun.of("--version", "--debug");
        assertEquals(0, s.exitCode(), s::toString);
    }
}
