package io.extsub.safetensors.torch;

import static io.extsub.safetensors.torch.TorchTestFiles.read;
import static io.extsub.safetensors.torch.TorchTestFiles.refused;
import static io.extsub.safetensors.torch.TorchTestFiles.refusedWith;
import static io.extsub.safetensors.torch.ZipBuilder.putU16;
import static io.extsub.safetensors.torch.ZipBuilder.putU32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Zip structures that lie about themselves; each must be refused with a specific message. */
class TorchBinHostileZipTest {
    // entries in order: 0 data.pkl, 1 byteorder, 2 data/0, 3 data/1, 4 version
    private StateDictWriter w;
    private byte[] good;

    @BeforeEach
    void build() throws Exception {
        w = new StateDictWriter();
        w.contiguous("a", "FloatStorage", 4, new long[] {4, 4}, new byte[64]);
        w.contiguous("b", "FloatStorage", 4, new long[] {8}, new byte[32]);
        good = w.build();
        read(good).close();
    }

    private byte[] copy() {
        return good.clone();
    }

    private int central(int entry) {
        return w.zip.centralOffsets.get(entry);
    }

    private int local(int entry) {
        return w.zip.localOffsets.get(entry);
    }

    @Test
    void sizesThatLieAreRefused() {
        byte[] b = copy();
        putU32(b, central(2) + 20, 64 + 200);
        putU32(b, central(2) + 24, 64 + 200);
        refusedWith(b, "overlap");

        b = copy();
        putU32(b, central(4) + 20, 1 << 20);
        putU32(b, central(4) + 24, 1 << 20);
        refusedWith(b, "runs past the start of the central directory");

        b = copy();
        putU32(b, central(2) + 20, 65);
        refusedWith(b, "claims 65 compressed bytes and 64 uncompressed bytes");

        b = copy();
        putU32(b, central(2) + 20, 0xFFFF_FFFFL);
        putU32(b, central(2) + 24, 0xFFFF_FFFFL);
        refusedWith(b, "no ZIP64 extra field");
    }

    @Test
    void localHeadersMustAgreeWithTheCentralDirectory() throws Exception {
        byte[] b = copy();
        b[local(2) + 30 + "archive/data/".length()] = '1';
        refusedWith(b, "its local header names it 'archive/data/1'");

        b = copy();
        putU32(b, central(3) + 42, local(2)); // data/1's record points at data/0's header
        refusedWith(b, "entry 'archive/data/1': its local header names it 'archive/data/0'");

        b = copy();
        putU32(b, central(2) + 42, local(2) + 3);
        refusedWith(b, "no local header at offset");

        // without data descriptors the local header must state the real sizes
        StateDictWriter plain = new StateDictWriter();
        plain.zip.dataDescriptors = false;
        plain.contiguous("a", "FloatStorage", 4, new long[] {4}, new byte[16]);
        byte[] p = plain.build();
        read(p).close();
        putU32(p, plain.zip.localOffsets.get(2) + 22, 17);
        refusedWith(p, "local header says 17 bytes, the central directory says 16");
    }

    @Test
    void compressedAndEncryptedEntriesAreRefused() {
        byte[] b = copy();
        putU16(b, central(2) + 10, 8);
        putU16(b, local(2) + 8, 8);
        refusedWith(b, "entry 'archive/data/0' is compressed (zip method 8)");

        b = copy();
        putU16(b, central(0) + 10, 8);
        refusedWith(b, "entry 'archive/data.pkl' is compressed");

        b = copy();
        putU16(b, central(3) + 8, 0x0809);
        refusedWith(b, "is encrypted");
    }

    @Test
    void offsetsPastTheEndAreRefused() {
        int eocd = w.zip.eocdOffset;
        int record = eocd - 20 - 56;
        byte[] b = copy();
        putU32(b, eocd + 16, 0xFFFF_FFFFL);
        for (int i = 0; i < 8; i++) {
            b[record + 48 + i] = (byte) (i == 3 ? 0x10 : 0); // 2^28, far past the file
        }
        refusedWith(b, "runs past the end records");

        b = copy();
        putU32(b, central(1) + 42, good.length + 1000L);
        refusedWith(b, "is past the start of the central directory");

        b = copy();
        b[record + 8 * 5 - 1] = 0x7f; // ZIP64 total entry count: 2^62-ish
        refusedWith(b, "disagree");

        b = copy();
        b[eocd - 20 + 8 + 7] = 0x7f; // locator: record offset 2^62-ish
        refusedWith(b, "is past its locator");
    }

    @Test
    void duplicateNamesAndBadEndRecordsAreRefused() {
        byte[] b = copy();
        byte[] name = "archive/version".getBytes();
        System.arraycopy(name, 0, b, central(4) + 46, name.length);
        byte[] shortName = "archive/data/1".getBytes();
        // make data/1 be called like data/0 in both headers: a duplicate
        System.arraycopy("archive/data/0".getBytes(), 0, b, central(3) + 46, shortName.length);
        System.arraycopy("archive/data/0".getBytes(), 0, b, local(3) + 30, shortName.length);
        refusedWith(b, "duplicate zip entry 'archive/data/0'");

        b = copy();
        putU16(b, w.zip.eocdOffset + 4, 1);
        refusedWith(b, "split (multi-disk)");

        b = copy();
        b[w.zip.eocdOffset] = 'X';
        refusedWith(b, "no zip end-of-central-directory record");
    }

    @Test
    void everyTruncationIsRefused() {
        for (int n = 0; n < good.length; n++) {
            byte[] t = Arrays.copyOf(good, n);
            String problem = refused(t);
            assertEquals(false, problem.isEmpty(), "length " + n);
        }
    }
}
