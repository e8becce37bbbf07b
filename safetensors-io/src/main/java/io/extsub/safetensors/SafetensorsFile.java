package io.extsub.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One safetensors file, memory-mapped read-only. Opening reads and validates only the header
 * (see {@link SafetensorsHeader}); each {@link TensorView} is a slice of the mapping, so no
 * tensor byte is copied or even touched until someone reads it.
 *
 * <p>The mapping belongs to a shared {@link Arena} owned by this object: views may be read
 * from any thread, and {@link #close()} unmaps the file, after which reading a view throws
 * {@link IllegalStateException}. As with any mapping, another process truncating the file
 * while it is open makes reads fault; extsub never writes over its own inputs.
 */
public final class SafetensorsFile implements TensorSource {

    private final Path path;
    private final Arena arena;
    private final SafetensorsHeader header;
    private final List<TensorView> tensors;
    private final Map<String, TensorView> byName;

    private SafetensorsFile(Path path, Arena arena, MemorySegment contents, SafetensorsHeader header) {
        this.path = path;
        this.arena = arena;
        this.header = header;
        List<TensorView> views = new ArrayList<>(header.tensors().size());
        Map<String, TensorView> index = HashMap.newHashMap(header.tensors().size());
        long base = header.dataOffset();
        for (SafetensorsHeader.Entry e : header.tensors()) {
            TensorView v = new TensorView(e.name(), e.dtype(), e.shape(),
                    contents.asSlice(base + e.begin(), e.byteSize()));
            views.add(v);
            index.put(e.name(), v);
        }
        this.tensors = Collections.unmodifiableList(views);
        this.byName = index;
    }

    /**
     * Maps {@code file} and validates its header.
     * @throws TensorFormatException when the file is not a valid safetensors file
     * @throws IOException when it cannot be opened or mapped
     */
    public static SafetensorsFile open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new TensorFormatException(file, "is a folder, not a safetensors file");
        }
        return MappedFile.read(file, (contents, arena) -> {
            if (contents.byteSize() < 8) {
                throw new TensorFormatException(file, "file is " + contents.byteSize()
                        + " bytes, shorter than the 8-byte header length");
            }
            return new SafetensorsFile(file, arena, contents, SafetensorsHeader.read(file, contents));
        });
    }

    /**
     * Reads a safetensors file already in memory (e.g. bytes received or built in a test). The
     * views are slices of {@code contents}; the caller keeps it alive, and {@link #close()} does
     * nothing to it.
     * @param name named in error messages and returned by {@link #path()}
     */
    public static SafetensorsFile of(Path name, MemorySegment contents) throws TensorFormatException {
        return new SafetensorsFile(name, null, contents, SafetensorsHeader.read(name, contents));
    }

    @Override
    public Path path() {
        return path;
    }

    /** Tensors in data-offset order, which is the order of their bytes in the file. */
    @Override
    public List<TensorView> tensors() {
        return tensors;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public Optional<TensorView> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The validated header, e.g. for its length and the data-section size. */
    public SafetensorsHeader header() {
        return header;
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException alreadyClosed) {
                // A concurrent close() won the race; the mapping is gone either way.
            }
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
