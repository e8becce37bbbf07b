package io.extsub.cli;

import java.util.List;
import java.util.Optional;

/**
 * The command table, in the order {@code extsub help} lists it. A new command is one line here
 * (e.g. {@code new ExtractCommand(),}); see {@link Command} for what a command provides.
 */
public final class Commands {
    private Commands() {}

    public static List<Command> all() {
        return List.of(
                new InspectCommand(),
                new OperationCommand(OperationCommand.Kind.EXT_SUB),
                new OperationCommand(OperationCommand.Kind.SUBTRACT),
                new OperationCommand(OperationCommand.Kind.ADD),
                new DemoCommand(),
                new GeneratePairCommand(),
                new ExtractCommand()
        );
    }

    public static Optional<Command> find(String name) {
        for (Command c : all()) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
