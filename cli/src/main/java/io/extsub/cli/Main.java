package io.extsub.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of the {@code extsub} command. {@link #run} does all the work and returns the exit
 * code, so tests run commands in-process; only {@link #main} exits.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean errTty = Boolean.getBoolean("extsub.stderrIsTerminal");
        int code = run(args, System.out, System.err, errTty);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, boolean errIsTerminal) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        // --debug is global and may appear anywhere before "--".
        int end = rest.indexOf("--");
        boolean debug = (end < 0 ? rest : rest.subList(0, end)).remove("--debug");
        CommandContext ctx = new CommandContext(out, err, errIsTerminal, debug);
        if (debug) {
            DebugLogging.enable(err);
        }
        try {
            return dispatch(rest, ctx);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            ErrorReport report = ErrorReport.of(t);
            err.println(report.line());
            if (debug) {
                t.printStackTrace(err);
            }
            return report.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, CommandContext ctx) throws Exception {
        if (args.isEmpty()) {
            Help.printGeneral(ctx.err());
            throw new UsageException("no command given (see 'extsub help')");
        }
        String first = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        switch (first) {
            case "--help", "-h", "help" -> {
                return helpCommand(rest, ctx);
            }
            case "--version", "version" -> {
                if (!rest.isEmpty()) {
                    throw new UsageException("unexpected argument '" + rest.getFirst() + "'");
                }
                ctx.out().println("extsub " + Version.get());
                return ExitCode.OK;
            }
            default -> {
                // fall through to the command table
            }
        }
        Optional<Command> command = Commands.find(first);
        if (command.isEmpty()) {
            throw new UsageException(first.startsWith("-")
                    ? "unknown option '" + first + "' (a command comes first; see 'extsub help')"
                    : "unknown command '" + first + "' (see 'extsub help')");
        }
        Command c = command.get();
        if (wantsHelp(rest)) {
            Help.printCommand(c, ctx.out());
            return ExitCode.OK;
        }
        ParsedArgs parsed;
        try {
            parsed = ArgParser.parse(c.options(), rest, c.minPositionals(), c.maxPositionals());
        } catch (UsageException e) {
            throw new UsageException(c.name() + ": " + e.getMessage() + " (see 'extsub " + c.name() + " --help')");
        }
        return c.run(parsed, ctx);
    }

    private static int helpCommand(List<String> rest, CommandContext ctx) throws UsageException {
        if (rest.isEmpty()) {
            Help.printGeneral(ctx.out());
            return ExitCode.OK;
        }
        if (rest.size() > 1) {
            throw new UsageException("help: unexpected argument '" + rest.get(1) + "'");
        }
        Command c = Commands.find(rest.getFirst())
                .orElseThrow(() -> new UsageException("help: unknown command '" + rest.getFirst() + "'"));
        Help.printCommand(c, ctx.out());
        return ExitCode.OK;
    }

    private static boolean wantsHelp(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }
}
