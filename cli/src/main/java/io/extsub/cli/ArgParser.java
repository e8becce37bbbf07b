package io.extsub.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written GNU-style long-option parser: {@code --opt value}, {@code --opt=value},
 * flags, positionals in any order, and {@code --} ending the options. Anything it does not
 * understand is a {@link UsageException}, never silently ignored.
 */
public final class ArgParser {
    private ArgParser() {}

    public static ParsedArgs parse(List<Option> spec, List<String> args, int minPositionals, int maxPositionals)
            throws UsageException {
        Map<String, Option> byName = new HashMap<>();
        for (Option o : spec) {
            byName.put(o.name(), o);
        }
        List<String> positionals = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new UsageException("unknown option '" + a + "' (options are long: --name)");
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
            Option o = byName.get(name);
            if (o == null) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            if (!o.takesValue()) {
                if (eq >= 0) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option --" + name + " needs a value (" + o.metavar() + ")");
                }
                value = args.get(++i);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        if (positionals.size() < minPositionals) {
            throw new UsageException(minPositionals == 1 ? "missing argument" : "missing arguments");
        }
        if (positionals.size() > maxPositionals) {
            throw new UsageException("unexpected argument '" + positionals.get(maxPositionals) + "'");
        }
        return new ParsedArgs(positionals, values, flags);
    }
}
