package io.extsub.cli;

/** Entry point of the {@code extsub} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}
