package io.extsub.safetensors.torch;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.MappedFile;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.TensorSource;
import io.extsub.safetensors.TensorView;
import io.extsub.safetensors.torch.PyValue.PyDict;
import io.extsub.safetensors.torch.PyValue.PyStorage;
import io.extsub.safetensors.torch.PyValue.PyStr;
import io.extsub.safetensors.torch.PyValue.PyTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch {@code .bin} file ({@code torch.save} of a state dict, PyTorch 1.6 or newer, zip
 * format, ZIP64 included) read without running any Python semantics: the archive is mapped
 * once, the pickle is checked for foreign globals, then interpreted by a restricted
 * unpickler, and every contiguous tensor is a slice of the mapping. See docs/torch-bin.md.
 *
 * <p>Anything else is refused with a {@link TensorFormatException} naming the file and the
 * problem: compressed or inconsistent zip entries, pickles that reference other Python
 * globals, the legacy (pre-1.6) format, TorchScript archives, big-endian data.
 */
public final class TorchBinFile implements TensorSource {
    private final Path path;
    private final Arena arena;
    private final List<TensorView> tensors;
    private final long archiveVersion;

    private TorchBinFile(Path path, Arena arena, List<TensorView> tensors, long archiveVersion) {
        this.path = path;
        this.arena = arena;
        this.tensors = List.copyOf(tensors);
        this.archiveVersion = archiveVersion;
    }

    /** Maps and reads {@code file}; the views stay valid until {@link #close()}. */
    public static TorchBinFile open(Path file) throws IOException {
        return MappedFile.read(file, (mapped, arena) -> {
            if (mapped.byteSize() == 0) {
                throw new TensorFormatException(file, "the file is empty");
            }
            return read(file, mapped, arena, UnpicklerLimits.DEFAULT);
        });
    }

    /**
     * Reads an archive already in memory (tests use heap segments). On success the returned
     * file owns {@code arena}; on failure the caller closes it.
     */
    static TorchBinFile read(Path file, MemorySegment bytes, Arena arena, UnpicklerLimits limits)
            throws TensorFormatException {
        checkSignature(file, bytes);
        ZipBytes zip = new ZipBytes(file, bytes);
        TorchArchive archive = TorchArchive.of(zip, StoredZipReader.read(zip));
        MemorySegment pickle = archive.pickle();
        // Refuse foreign globals before anything else is looked at or built.
        PickleScanner.scan(file, pickle);
        archive.checkByteOrder();
        long version = archive.version();
        PyValue root = RestrictedUnpickler.load(file, pickle, limits,
                (key, dtype, elements) -> storage(file, archive, key, dtype, elements));
        if (!(root instanceof PyDict dict)) {
            throw new TensorFormatException(file, "the pickle holds a " + root.typeName()
                    + ", not a state dict (a mapping of names to tensors)");
        }
        // Copies of non-contiguous tensors may not take more than the file, twice over.
        long budget = Math.addExact(Math.multiplyExact(2, bytes.byteSize()), 16L << 20);
        TensorLayout layout = new TensorLayout(file, arena, budget);
        List<TensorView> views = new ArrayList<>(dict.items.size());
        for (Map.Entry<PyValue, PyValue> e : dict.items.entrySet()) {
            if (!(e.getKey() instanceof PyStr(String name))) {
                throw new TensorFormatException(file, "the state dict has a key of type "
                        + e.getKey().typeName() + ", expected tensor names");
            }
            if (!(e.getValue() instanceof PyTensor t)) {
                throw new TensorFormatException(file, "state dict entry " + StoredZipReader.quote(name)
                        + " is a " + e.getValue().typeName() + ", not a tensor");
            }
            views.add(new TensorView(name, t.storage().dtype(), t.shape(), layout.bytes(name, t)));
        }
        return new TorchBinFile(file, arena, views, version);
    }

    private static void checkSignature(Path file, MemorySegment bytes) throws TensorFormatException {
        long n = bytes.byteSize();
        int b0 = n > 0 ? Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, 0)) : -1;
        if (b0 == 0x80) {
            throw new TensorFormatException(file, "this is the legacy (pre-1.6) torch.save format, "
                    + "which we do not read: load it in Python and re-save it with torch.save(state_dict, path) "
                    + "using PyTorch 1.6 or newer, or save it as safetensors");
        }
        if (n >= 262 && new String(bytes.asSlice(257, 5).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII).equals("ustar")) {
            throw new TensorFormatException(file, "this is the tar-based torch.save format of PyTorch 0.3 and older: "
                    + "load it in Python and re-save it with torch.save(state_dict, path) "
                    + "using PyTorch 1.6 or newer, or save it as safetensors");
        }
        boolean zip = n >= 4 && bytes.get(ValueLayout.JAVA_BYTE, 0) == 'P' && bytes.get(ValueLayout.JAVA_BYTE, 1) == 'K'
                && (bytes.get(ValueLayout.JAVA_BYTE, 2) == 3 || bytes.get(ValueLayout.JAVA_BYTE, 2) == 5);
        if (!zip) {
            throw new TensorFormatException(file, "not a PyTorch .bin file: it does not start with a zip signature");
        }
    }

    private static PyStorage storage(Path file, TorchArchive archive, String key, DType dtype,
                                     long elements) throws TensorFormatException {
        ZipEntry e = archive.record("data/" + key).orElseThrow(() -> new TensorFormatException(file,
                "the pickle refers to storage " + StoredZipReader.quote(key) + " but the archive has no record data/" + key));
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, (long) (dtype.bits() / 8));
        } catch (ArithmeticException ex) {
            bytes = -1;
        }
        if (bytes != e.size()) {
            throw new TensorFormatException(file, "storage " + StoredZipReader.quote(key) + " should hold "
                    + elements + " " + dtype + " elements but data/" + key + " is " + e.size() + " bytes");
        }
        return new PyStorage(key, dtype, elements, archive.bytes(e));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<TensorView> tensors() {
        return tensors;
    }

    /** A {@code .bin} state dict carries no string metadata. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    /** The archive format version torch.save recorded (3 for PyTorch 1.6 to 2.x). */
    public long archiveVersion() {
        return archiveVersion;
    }

    /** Unmaps the file and frees copied tensors; views must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
