package io.extsub.peft;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An adapter folder (or a pair of them, or the requested output) cannot be used. The
 * message is one line, {@code <path>: <problem>}, ready to print.
 */
public class AdapterException extends IOException {
    private final transient Path path;
    private final String problem;

    public AdapterException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    public AdapterException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    public Path path() {
        return path;
    }

    /** The problem without the path. */
    public String problem() {
        return problem;
    }
}
