package io.extsub.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens whatever safetensors form a path points at. */
public final class Safetensors {

    /** File names looked for, in this order, when {@link #open(Path)} is given a folder. */
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String ADAPTER_FILE = "adapter_model.safetensors";

    private Safetensors() {
    }

    /**
     * Opens a {@code .safetensors} file, a sharded checkpoint's {@code *.index.json}, or a
     * folder holding {@code model.safetensors}, {@code model.safetensors.index.json} or
     * {@code adapter_model.safetensors} (tried in that order, as transformers prefers the
     * single file).
     * @throws TensorFormatException when the path holds no such file or it is invalid
     */
    public static TensorSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            for (String name : new String[] {SINGLE_FILE, INDEX_FILE, ADAPTER_FILE}) {
                Path candidate = path.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return openFile(candidate);
                }
            }
            throw new TensorFormatException(path, "folder holds none of " + SINGLE_FILE + ", " + INDEX_FILE
                    + ", " + ADAPTER_FILE);
        }
        if (!Files.exists(path)) {
            throw new TensorFormatException(path, "no such file or folder");
        }
        return openFile(path);
    }

    private static TensorSource openFile(Path file) throws IOException {
        Path name = file.getFileName();
        if (name != null && name.toString().endsWith(".index.json")) {
            return ShardedSafetensors.open(file);
        }
        return SafetensorsFile.open(file);
    }
}
