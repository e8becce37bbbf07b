package io.extsub.cli;

/** Process exit codes of {@code extsub} (documented in docs/cli.md). */
public final class ExitCode {
    private ExitCode() {}

    public static final int OK = 0;
    /** A bug or an environment failure we did not anticipate. */
    public static final int INTERNAL = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** An input is missing, unreadable, malformed or does not pair. */
    public static final int BAD_INPUT = 3;
}
