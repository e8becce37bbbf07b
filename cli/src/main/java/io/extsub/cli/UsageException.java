package io.extsub.cli;

/** The command line itself is wrong (unknown option, missing value, bad number): exit code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
