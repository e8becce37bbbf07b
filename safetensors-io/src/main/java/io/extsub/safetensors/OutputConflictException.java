package io.extsub.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/** The output path is one of the run's inputs; writing it would destroy what is being read. */
public class OutputConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path output;

    public OutputConflictException(Path output, Path input) {
        super(output + ": is an input of this run (" + input + "); refusing to overwrite it");
        this.output = output;
    }

    public Path output() {
        return output;
    }
}
