package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.extsub.peft.AdapterException;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    @Test
    void badInputClassesMapToThreeWithFileAndProblem() {
        assertEquals(new ErrorReport(3, "x/a.safetensors: header too long"),
                ErrorReport.of(new TensorFormatException(Path.of("x/a.safetensors"), "header too long")));
        assertEquals(new ErrorReport(3, "dir: DoRA is not supported"),
                ErrorReport.of(new AdapterException(Path.of("dir"), "DoRA is not supported")));
        assertEquals(new ErrorReport(3, "missing/dir: no such file or directory"),
                ErrorReport.of(new NoSuchFileException("missing/dir")));
        assertEquals(new ErrorReport(3, "secret: permission denied"),
                ErrorReport.of(new AccessDeniedException("secret")));
        assertEquals(new ErrorReport(3, "f: disk on fire"),
                ErrorReport.of(new UncheckedIOException(new IOException("f: disk on fire"))));
        assertEquals(3, ErrorReport.of(new JsonException(12, "expected ':'")).exitCode());
    }

    @Test
    void multiLineMessagesBecomeOneLine() {
        ErrorReport r = ErrorReport.of(new AdapterException(Path.of("e"), "modules differ (2):\n  a only in expert\n  b shape 4x4 vs 4x8\n"));
        assertEquals("e: modules differ (2):; a only in expert; b shape 4x4 vs 4x8", r.message());
    }

    @Test
    void usageIsTwoAndBugsAreOne() {
        assertEquals(new ErrorReport(2, "bad"), ErrorReport.of(new UsageException("bad")));
        ErrorReport bug = ErrorReport.of(new IllegalStateException("oops"));
        assertEquals(1, bug.exitCode());
        assertEquals("internal error: java.lang.IllegalStateException: oops (rerun with --debug for the stack trace)", bug.message());
        assertEquals("extsub: error: internal error: java.lang.IllegalStateException: oops (rerun with --debug for the stack trace)", bug.line());
    }
}
