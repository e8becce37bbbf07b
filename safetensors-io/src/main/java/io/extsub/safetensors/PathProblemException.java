package io.extsub.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input or output path cannot be used. The message is one line that names the path and
 * the problem, {@code <path>: <problem>}, ready to print: the CLI shows it as it is. The base
 * of {@link TensorFormatException} (a broken tensor file) and of the adapter-level errors of
 * the peft module.
 */
public class PathProblemException extends IOException {
    private final transient Path path;
    private final String problem;

    public PathProblemException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    public PathProblemException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    /** The file or folder the problem is about. */
    public Path path() {
        return path;
    }

    /** The problem without the path. */
    public String problem() {
        return problem;
    }
}
