package io.extsub.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns a failure into an exit code and the one line {@code extsub: error: ...} that follows it
 * on stderr. Our own exceptions (TensorFormatException, AdapterException, JsonException) already
 * carry "{@code <file>: <problem>}"; the JDK's file exceptions carry only the file, so the problem is
 * added here.
 *
 * @param exitCode one of {@link ExitCode}
 * @param message  the text after {@code "extsub: error: "}, a single line
 */
public record ErrorReport(int exitCode, String message) {

    public String line() {
        return "extsub: error: " + message;
    }

    public static ErrorReport of(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        return switch (t) {
            case UsageException u -> new ErrorReport(ExitCode.USAGE, oneLine(u.getMessage()));
            case NoSuchFileException e -> fileProblem(e, "no such file or directory");
            case AccessDeniedException e -> fileProblem(e, "permission denied");
            case NotDirectoryException e -> fileProblem(e, "not a directory");
            case DirectoryNotEmptyException e -> fileProblem(e, "directory not empty");
            case FileAlreadyExistsException e -> fileProblem(e, "already exists");
            case FileSystemException e -> fileProblem(e, e.getReason() == null ? "cannot be read" : e.getReason());
            // TensorFormatException, AdapterException and other input problems: "<file>: <problem>".
            case IOException e -> new ErrorReport(ExitCode.BAD_INPUT, oneLine(messageOrClass(e)));
            case OutOfMemoryError e -> new ErrorReport(ExitCode.INTERNAL,
                    "out of memory (" + oneLine(messageOrClass(e)) + "); give the JVM more with EXTSUB_JAVA_OPTS=-Xmx...");
            default -> isInputFailure(t)
                    ? new ErrorReport(ExitCode.BAD_INPUT, oneLine(messageOrClass(t)))
                    : new ErrorReport(ExitCode.INTERNAL, "internal error: " + t.getClass().getName()
                            + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()))
                            + " (rerun with --debug for the stack trace)");
        };
    }

    /** The JSON codec's exception is checked and not an IOException; it is still bad input. */
    private static boolean isInputFailure(Throwable t) {
        return t instanceof io.extsub.safetensors.json.JsonException;
    }

    private static ErrorReport fileProblem(FileSystemException e, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.getFile() == null ? "?" : e.getFile());
        if (e.getOtherFile() != null) {
            sb.append(" -> ").append(e.getOtherFile());
        }
        sb.append(": ").append(problem);
        return new ErrorReport(ExitCode.BAD_INPUT, oneLine(sb.toString()));
    }

    private static String messageOrClass(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Multi-line messages (e.g. a list of pairing differences) become one line. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
