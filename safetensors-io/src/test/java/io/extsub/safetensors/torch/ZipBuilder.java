package io.extsub.safetensors.torch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip the way PyTorch's PyTorchStreamWriter does (APPNOTE 6.3): stored entries,
 * flag bit 3 with zero sizes in the local header and a data descriptor after the data, an
 * "FB" extra field padding each entry's data to 64 bytes, and ZIP64 end records. Remembers
 * where it put every header so tests can corrupt them.
 */
final class ZipBuilder {
    record Entry(String name, byte[] data) {
    }

    private final List<Entry> entries = new ArrayList<>();
    /** Put the local header offset in a ZIP64 extra field of the central directory. */
    boolean zip64Offsets;
    boolean zip64EndRecords = true;
    boolean dataDescriptors = true;

    final List<Integer> localOffsets = new ArrayList<>();
    final List<Integer> dataOffsets = new ArrayList<>();
    final List<Integer> centralOffsets = new ArrayList<>();
    int centralDirectoryOffset;
    int eocdOffset;

    ZipBuilder add(String name, byte[] data) {
        entries.add(new Entry(name, data));
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        localOffsets.clear();
        dataOffsets.clear();
        centralOffsets.clear();
        List<Long> crcs = new ArrayList<>();
        for (Entry e : entries) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int local = out.size();
            localOffsets.add(local);
            int headerEnd = local + 30 + name.length + 4;
            int pad = (64 - headerEnd % 64) % 64;
            CRC32 crc = new CRC32();
            crc.update(e.data());
            crcs.add(crc.getValue());
            ByteBuffer h = le(30);
            h.putInt(0x04034b50).putShort((short) 0).putShort((short) (dataDescriptors ? 0x0808 : 0x0800))
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0);
            if (dataDescriptors) {
                h.putInt(0).putInt(0).putInt(0);
            } else {
                h.putInt((int) crc.getValue()).putInt(e.data().length).putInt(e.data().length);
            }
            h.putShort((short) name.length).putShort((short) (4 + pad));
            out.writeBytes(h.array());
            out.writeBytes(name);
            out.writeBytes(le(4).putShort((short) 0x4246).putShort((short) pad).array()); // "FB"
            out.writeBytes(new byte[pad]);
            dataOffsets.add(out.size());
            out.writeBytes(e.data());
            if (dataDescriptors) {
                out.writeBytes(le(16).putInt(0x08074b50).putInt((int) crc.getValue())
                        .putInt(e.data().length).putInt(e.data().length).array());
            }
        }
        centralDirectoryOffset = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            centralOffsets.add(out.size());
            int extraLen = zip64Offsets ? 12 : 0;
            ByteBuffer c = le(46);
            c.putInt(0x02014b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) (dataDescriptors ? 0x0808 : 0x0800)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(crcs.get(i).intValue())
                    .putInt(e.data().length).putInt(e.data().length)
                    .putShort((short) name.length).putShort((short) extraLen).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(zip64Offsets ? -1 : localOffsets.get(i));
            out.writeBytes(c.array());
            out.writeBytes(name);
            if (zip64Offsets) {
                out.writeBytes(le(12).putShort((short) 1).putShort((short) 8)
                        .putLong(localOffsets.get(i)).array());
            }
        }
        int cdSize = out.size() - centralDirectoryOffset;
        if (zip64EndRecords) {
            int record = out.size();
            out.writeBytes(le(56).putInt(0x06064b50).putLong(44).putShort((short) 0x1e03)
                    .putShort((short) 45).putInt(0).putInt(0).putLong(entries.size())
                    .putLong(entries.size()).putLong(cdSize).putLong(centralDirectoryOffset).array());
            out.writeBytes(le(20).putInt(0x07064b50).putInt(0).putLong(record).putInt(1).array());
        }
        eocdOffset = out.size();
        out.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) entries.size()).putShort((short) entries.size())
                .putInt(cdSize).putInt(centralDirectoryOffset).putShort((short) 0).array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
