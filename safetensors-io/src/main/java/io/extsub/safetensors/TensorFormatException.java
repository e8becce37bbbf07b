package io.extsub.safetensors;

import java.nio.file.Path;

/**
 * A file is not a valid tensor file (or is one we refuse to read). The message is one line
 * that names the file and the problem: {@code <file>: <what is wrong>}.
 */
public class TensorFormatException extends PathProblemException {

    public TensorFormatException(Path file, String problem) {
        super(file, problem);
    }

    public TensorFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    /** The tensor file, the same as {@link #path()}. */
    public Path file() {
        return path();
    }
}
