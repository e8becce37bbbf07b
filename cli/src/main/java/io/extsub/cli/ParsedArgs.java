package io.extsub.cli;

import io.extsub.safetensors.DType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The result of {@link ArgParser#parse}: positionals, option values and flags, with typed getters. */
public final class ParsedArgs {
    private final List<String> positionals;
    private final Map<String, String> values;
    private final Set<String> flags;

    ParsedArgs(List<String> positionals, Map<String, String> values, Set<String> flags) {
        this.positionals = List.copyOf(positionals);
        this.values = Map.copyOf(values);
        this.flags = Set.copyOf(flags);
    }

    public List<String> positionals() {
        return positionals;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    public Path requiredPath(String name) throws UsageException {
        return toPath(name, required(name));
    }

    public Optional<Path> path(String name) throws UsageException {
        String v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(toPath(name, v));
    }

    public double doubleValue(String name, double defaultValue) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not a number: '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw new UsageException("--" + name + ": not a finite number: '" + v + "'");
        }
        return d;
    }

    public Optional<Integer> intValue(String name, int min, int max) throws UsageException {
        String v = values.get(name);
        return v == null ? Optional.empty() : Optional.of((int) integer(name, v, min, max));
    }

    public long longValue(String name, long defaultValue, long min, long max) throws UsageException {
        String v = values.get(name);
        return v == null ? defaultValue : integer(name, v, min, max);
    }

    private static long integer(String name, String v, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not an integer: '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + ": " + n + " is out of range [" + min + ", " + max + "]");
        }
        return n;
    }

    /** The value of an option restricted to a few words, lower-cased. */
    public Optional<String> choice(String name, List<String> allowed) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        String lower = v.strip().toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new UsageException("--" + name + ": expected one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return Optional.of(lower);
    }

    /**
     * A tensor dtype option: f32, f16 or bf16, plus "auto" when {@code allowAuto}. Empty when
     * the option is absent or "auto", so each command states its own default.
     */
    public Optional<DType> dtype(String name, boolean allowAuto) throws UsageException {
        List<String> allowed = allowAuto ? List.of("auto", "f32", "f16", "bf16") : List.of("f32", "f16", "bf16");
        return choice(name, allowed).flatMap(d -> switch (d) {
            case "f32" -> Optional.of(DType.F32);
            case "f16" -> Optional.of(DType.F16);
            case "bf16" -> Optional.of(DType.BF16);
            default -> Optional.empty();
        });
    }

    private static Path toPath(String name, String v) throws UsageException {
        if (v.isEmpty()) {
            throw new UsageException("--" + name + ": empty path");
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new UsageException("--" + name + ": not a valid path: '" + v + "'");
        }
    }
}
