package io.extsub.cli;

import java.io.PrintStream;

/** Help texts, built from the command table and each command's options. */
final class Help {
    private Help() {}

    static void printGeneral(PrintStream s) {
        s.println("extsub " + Version.get() + ": Ext-Sub and arithmetic on PEFT adapters, pure JVM");
        s.println();
        s.println("usage: extsub COMMAND [OPTIONS]    (extsub COMMAND --help for details)");
        s.println();
        s.println("commands:");
        for (Command c : Commands.all()) {
            s.printf("  %-14s %s%n", c.name(), c.summary());
        }
        s.printf("  %-14s %s%n", "help [COMMAND]", "show this help, or a command's");
        s.printf("  %-14s %s%n", "--version", "print the version");
        s.println();
        s.println("global option: --debug (stack traces on errors, debug log on stderr)");
        s.println("exit codes: 0 ok, 1 internal error, 2 usage error, 3 bad input");
    }

    static void printCommand(Command c, PrintStream s) {
        s.println("usage: extsub " + c.name() + " " + c.synopsis());
        s.println();
        s.println(c.summary());
        if (!c.options().isEmpty()) {
            s.println();
            s.println("options:");
            int width = 0;
            for (Option o : c.options()) {
                width = Math.max(width, o.synopsis().length());
            }
            for (Option o : c.options()) {
                s.printf("  %-" + width + "s  %s%n", o.synopsis(), o.help());
            }
        }
        String details = c.details();
        if (!details.isEmpty()) {
            s.println();
            s.print(details.endsWith("\n") ? details : details + "\n");
        }
    }
}
