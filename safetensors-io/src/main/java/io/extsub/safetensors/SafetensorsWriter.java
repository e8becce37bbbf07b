package io.extsub.safetensors;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonArray;
import io.extsub.safetensors.json.JsonNumber;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonValue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a safetensors file by streaming tensors one at a time, so memory use does not grow
 * with the file. The header is computed up front from the specs (data offsets follow the
 * given order, tightly packed), padded with spaces to a multiple of 8 so the data section
 * starts 8-aligned, as the reference writer does.
 *
 * <p>Atomicity: everything goes to a temporary file in the target's folder, which is forced to
 * disk and then renamed over the target with {@code ATOMIC_MOVE}, so a reader sees either the
 * old file or the complete new one, never a torn write. On any failure the temporary file is
 * deleted and the target is untouched, also when the JVM is stopped mid-write
 * ({@link PartialOutputs}). The target may not be one of the run's inputs: those
 * are usually mapped while the output is written, and replacing them would be a data-loss bug
 * even though rename keeps the old inode alive for the mapping.
 */
public final class SafetensorsWriter {

    /** The metadata PEFT writes ({@code save_file(..., metadata={"format": "pt"})}). */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

    /** Tensors up to this size go through one reused native buffer; larger ones are mapped. */
    static final long MAP_THRESHOLD = 16L << 20;

    private SafetensorsWriter() {
    }

    /** Writes with {@link #PT_METADATA} and no inputs to protect. */
    public static void write(Path target, List<TensorSpec> specs, TensorFiller filler) throws IOException {
        write(target, specs, PT_METADATA, List.of(), filler);
    }

    /**
     * Writes {@code specs} in order, asking {@code filler} for each tensor's bytes.
     *
     * @param metadata the {@code __metadata__} map; empty writes none
     * @param inputs   files this run reads; {@code target} must not be one of them
     * @throws OutputConflictException when {@code target} is one of {@code inputs}
     * @throws IllegalArgumentException for duplicate names or the reserved name "__metadata__"
     */
    public static void write(Path target, List<TensorSpec> specs, Map<String, String> metadata,
                             Collection<Path> inputs, TensorFiller filler) throws IOException {
        checkNotAnInput(target, inputs);
        if (Files.isDirectory(target)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        byte[] header = headerBytes(specs, metadata);
        long dataLength = 0;
        long largestSmall = 0;
        for (TensorSpec s : specs) {
            long size = s.byteSize();
            dataLength = Math.addExact(dataLength, size);
            if (size <= MAP_THRESHOLD) {
                largestSmall = Math.max(largestSmall, size);
            }
        }
        long total = Math.addExact(8 + (long) header.length, dataLength);

        Path absTarget = target.toAbsolutePath();
        Path folder = absTarget.getParent();
        if (!Files.isDirectory(folder)) {
            throw new IOException(target + ": folder " + folder + " does not exist");
        }
        Path tmp = folder.resolve("." + absTarget.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        PartialOutputs.register(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena scratchArena = Arena.ofConfined()) {
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                writeFully(ch, prefix, 0);
                MemorySegment scratch = scratchArena.allocate(Math.max(largestSmall, 1), 8);
                long pos = 8 + (long) header.length;
                WriteBehindSync sync = new WriteBehindSync(ch, pos);
                for (TensorSpec s : specs) {
                    long size = s.byteSize();
                    if (size <= MAP_THRESHOLD) {
                        MemorySegment dst = scratch.asSlice(0, size);
                        dst.fill((byte) 0); // bytes a careless filler skips are zeros, not the last tensor's
                        filler.fill(s, dst);
                        writeFully(ch, dst.asByteBuffer(), pos);
                    } else {
                        try (Arena a = Arena.ofConfined()) {
                            MemorySegment dst = ch.map(FileChannel.MapMode.READ_WRITE, pos, size, a);
                            filler.fill(s, dst);
                            dst.force(); // FileChannel.force does not cover mapped writes
                        }
                    }
                    pos += size;
                    sync.wrote(pos);
                }
                sync.finish();
                if (ch.size() != total) {
                    throw new IOException(tmp + ": wrote " + ch.size() + " bytes, expected " + total);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, absTarget, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot rename atomically in this folder", e);
            }
            moved = true;
            forceFolder(folder);
        } finally {
            PartialOutputs.unregister(tmp);
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure matters more than a leftover temp file.
                }
            }
        }
    }

    /** Copies existing tensors (e.g. modules_to_save, or a round trip) into a new file. */
    public static void copy(Path target, List<TensorView> views, Map<String, String> metadata,
                            Collection<Path> inputs) throws IOException {
        List<TensorSpec> specs = new ArrayList<>(views.size());
        Map<String, TensorView> byName = new HashMap<>();
        for (TensorView v : views) {
            specs.add(TensorSpec.of(v));
            byName.put(v.name(), v);
        }
        write(target, specs, metadata, inputs, (spec, dst) -> {
            MemorySegment src = byName.get(spec.name()).data();
            if (src.byteSize() != dst.byteSize()) {
                throw new IOException("tensor \"" + spec.name() + "\": view holds " + src.byteSize()
                        + " bytes but its shape needs " + dst.byteSize());
            }
            MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
        });
    }

    /**
     * The header exactly as written: compact JSON, {@code __metadata__} first, tensors in the
     * given order with packed offsets, padded with spaces to a multiple of 8 bytes.
     */
    public static byte[] headerBytes(List<TensorSpec> specs, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        LinkedHashMap<String, JsonValue> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            JsonObject.Builder md = JsonObject.builder();
            metadata.forEach(md::put);
            root.put("__metadata__", md.build());
        }
        long offset = 0;
        for (TensorSpec s : specs) {
            if (s.name().equals("__metadata__")) {
                throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
            }
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate tensor name \"" + s.name() + "\"");
            }
            List<JsonValue> shape = new ArrayList<>(s.shape().length);
            for (long d : s.shape()) {
                shape.add(JsonNumber.of(d));
            }
            long end = Math.addExact(offset, s.byteSize());
            root.put(s.name(), JsonObject.builder()
                    .put("dtype", s.dtype().headerName())
                    .put("shape", new JsonArray(shape))
                    .put("data_offsets", JsonArray.of(JsonNumber.of(offset), JsonNumber.of(end)))
                    .build());
            offset = end;
        }
        byte[] json = Json.write(new JsonObject(root)).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        if (padded > SafetensorsHeader.MAX_HEADER_LENGTH) {
            throw new IllegalArgumentException("header would be " + padded + " bytes, over the "
                    + SafetensorsHeader.MAX_HEADER_LENGTH + "-byte limit readers enforce");
        }
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void checkNotAnInput(Path target, Collection<Path> inputs) throws IOException {
        boolean targetExists = Files.exists(target);
        Path normTarget = target.toAbsolutePath().normalize();
        for (Path in : inputs) {
            boolean same;
            if (targetExists && Files.exists(in)) {
                same = Files.isSameFile(target, in); // sees through symlinks and hard links
            } else {
                same = normTarget.equals(in.toAbsolutePath().normalize());
            }
            if (same) {
                throw new OutputConflictException(target, in);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Makes the rename itself durable; not every platform lets a folder be opened, so best effort. */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The file's own data is already on disk; only the rename's durability is at stake.
        }
    }
}
