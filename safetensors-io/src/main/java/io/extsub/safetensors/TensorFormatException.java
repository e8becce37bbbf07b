package io.extsub.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a valid tensor file (or is one we refuse to read). The message is one line
 * that names the file and the problem: {@code <file>: <what is wrong>}.
 */
public class TensorFormatException extends IOException {
    private final transient Path file;
    private final String problem;

    public TensorFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public TensorFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The problem without the file name. */
    public String problem() {
        return problem;
    }
}
