package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records of a {@code torch.save} zip (PyTorch's {@code PyTorchStreamWriter}): every
 * entry sits under one top-level folder (named after the file when it was saved), and the
 * ones we read are {@code data.pkl} (the pickled state dict), {@code data/<key>} (one per
 * storage), {@code byteorder} (absent before torch 2.1) and {@code version}. Others
 * ({@code .data/serialization_id}, {@code .format_version}, ...) are ignored.
 */
final class TorchArchive {
    private final ZipBytes zip;
    private final String folder;
    private final Map<String, ZipEntry> records;

    private TorchArchive(ZipBytes zip, String folder, Map<String, ZipEntry> records) {
        this.zip = zip;
        this.folder = folder;
        this.records = records;
    }

    static TorchArchive of(ZipBytes zip, List<ZipEntry> entries) throws TensorFormatException {
        if (entries.isEmpty()) {
            throw zip.fail("the zip archive is empty: not a torch.save file");
        }
        String folder = null;
        Map<String, ZipEntry> records = new LinkedHashMap<>();
        for (ZipEntry e : entries) {
            int slash = e.name().indexOf('/');
            if (slash <= 0) {
                throw zip.fail("zip entry " + StoredZipReader.quote(e.name())
                        + " is not inside a top-level folder: not a torch.save archive");
            }
            String top = e.name().substring(0, slash);
            if (folder == null) {
                folder = top;
            } else if (!folder.equals(top)) {
                throw zip.fail("zip entries are in two top-level folders, " + StoredZipReader.quote(folder)
                        + " and " + StoredZipReader.quote(top) + ": not a torch.save archive");
            }
            records.put(e.name().substring(slash + 1), e);
        }
        for (String name : records.keySet()) {
            if (name.equals("constants.pkl") || name.startsWith("code/")) {
                throw zip.fail("this is a TorchScript archive (torch.jit.save), not a torch.save state dict: "
                        + "in Python, re-save its weights with torch.save(model.state_dict(), path) "
                        + "using PyTorch 1.6 or newer, or save them as safetensors");
            }
        }
        if (!records.containsKey("data.pkl")) {
            throw zip.fail("the archive has no data.pkl record: not a torch.save file");
        }
        return new TorchArchive(zip, folder, records);
    }

    String folder() {
        return folder;
    }

    MemorySegment pickle() {
        return bytes(records.get("data.pkl"));
    }

    Optional<ZipEntry> record(String name) {
        return Optional.ofNullable(records.get(name));
    }

    MemorySegment bytes(ZipEntry e) {
        return zip.segment().asSlice(e.dataOffset(), e.size());
    }

    /** torch.save on a big-endian machine writes "big"; we only read little-endian data. */
    void checkByteOrder() throws TensorFormatException {
        Optional<ZipEntry> e = record("byteorder");
        if (e.isEmpty()) {
            return; // written since torch 2.1; older files are little-endian in practice
        }
        String order = smallText(e.get(), "byteorder");
        if (order.equals("big")) {
            throw zip.fail("the tensors are stored big-endian (byteorder 'big'); load the file in Python "
                    + "on a little-endian machine and re-save it with torch.save or as safetensors");
        }
        if (!order.equals("little")) {
            throw zip.fail("unknown byteorder record " + StoredZipReader.quote(order));
        }
    }

    /** The archive format version; torch's reader requires one (torch.save writes 3). */
    long version() throws TensorFormatException {
        ZipEntry e = record("version").or(() -> record(".data/version")).orElseThrow(
                () -> zip.fail("the archive has no version record: not a torch.save file"));
        String text = smallText(e, "version");
        try {
            long v = Long.parseLong(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw zip.fail("the version record holds " + StoredZipReader.quote(text) + ", not a positive number");
    }

    private String smallText(ZipEntry e, String what) throws TensorFormatException {
        if (e.size() > 64) {
            throw zip.fail("the " + what + " record is " + e.size() + " bytes, expected a short text");
        }
        byte[] raw = bytes(e).toArray(ValueLayout.JAVA_BYTE);
        return new String(raw, StandardCharsets.UTF_8).strip();
    }
}
