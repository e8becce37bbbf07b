package io.extsub.cli;

import java.util.List;

/**
 * One subcommand of {@code extsub}. {@link Main} parses the options declared here, answers
 * {@code --help}, and maps exceptions thrown by {@link #run} to exit codes and one-line errors
 * (see {@link ErrorReport}); a command only returns 0 on success or throws.
 */
public interface Command {

    /** The word on the command line, e.g. "ext-sub". */
    String name();

    /** One line for the command list of {@code extsub help}. */
    String summary();

    /** The arguments after the command name, e.g. "PATH [--json]". */
    String synopsis();

    /** Extra help after the option list (examples, notes); may be empty. */
    default String details() {
        return "";
    }

    List<Option> options();

    default int minPositionals() {
        return 0;
    }

    default int maxPositionals() {
        return 0;
    }

    int run(ParsedArgs args, CommandContext context) throws Exception;
}
