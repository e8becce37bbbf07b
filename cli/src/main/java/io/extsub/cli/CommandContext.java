package io.extsub.cli;

import java.io.PrintStream;

/**
 * Where a command writes: {@code out} for results (JSON, listings), {@code err} for the human
 * summary, progress and errors.
 *
 * @param errIsTerminal whether stderr is an interactive terminal (progress bars only then);
 *                      the launcher tells us through {@code -Dextsub.stderrIsTerminal=true},
 *                      which it derives from {@code [ -t 2 ]}, since Java cannot ask about fd 2
 * @param debug         {@code --debug} was given: stack traces on errors, debug logging
 */
public record CommandContext(PrintStream out, PrintStream err, boolean errIsTerminal, boolean debug) {}
