package io.extsub.cli;

/**
 * One long option a command accepts. A flag takes no value; a valued option takes one,
 * written {@code --name value} or {@code --name=value}.
 *
 * @param name     without the leading dashes, e.g. "alpha"
 * @param metavar  placeholder shown in help ("N", "DIR"); null for a flag
 * @param help     one line of help text
 */
public record Option(String name, String metavar, String help) {

    public static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    public static Option value(String name, String metavar, String help) {
        return new Option(name, metavar, help);
    }

    public boolean takesValue() {
        return metavar != null;
    }

    /** "--name VALUE" or "--name", as help shows it. */
    public String synopsis() {
        return takesValue() ? "--" + name + " " + metavar : "--" + name;
    }
}
