package io.extsub.peft;

import io.extsub.safetensors.PathProblemException;
import java.nio.file.Path;

/**
 * An adapter folder (or a pair of them, or the requested output) cannot be used. The
 * message is one line, {@code <path>: <problem>}, ready to print.
 */
public class AdapterException extends PathProblemException {

    public AdapterException(Path path, String problem) {
        super(path, problem);
    }

    public AdapterException(Path path, String problem, Throwable cause) {
        super(path, problem, cause);
    }
}
