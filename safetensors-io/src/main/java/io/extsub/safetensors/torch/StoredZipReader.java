package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.Utf8;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the directory of a zip archive whose members are all stored (method 0), as
 * {@code torch.save} writes them (PyTorch's miniz-based {@code PyTorchStreamWriter}).
 * Section numbers refer to PKWARE's APPNOTE.TXT 6.3.
 *
 * <p>Nothing is inflated and nothing is copied: the result says where each member's bytes
 * are in the file. Every number the archive states is checked against the file before it is
 * used: the central directory against the end records, each local header against its
 * central directory record, each member's bytes against the file and against the other
 * members. The archive may say more than once how big a member is; all statements must agree.
 */
final class StoredZipReader {
    static final long SIG_LOCAL = 0x04034b50L;
    static final long SIG_CENTRAL = 0x02014b50L;
    static final long SIG_EOCD = 0x06054b50L;
    static final long SIG_ZIP64_EOCD = 0x06064b50L;
    static final long SIG_ZIP64_LOCATOR = 0x07064b50L;

    private static final int EOCD_SIZE = 22;
    private static final int LOCATOR_SIZE = 20;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long MAX32 = 0xFFFF_FFFFL;
    private static final int MAX16 = 0xFFFF;

    private final ZipBytes in;

    private StoredZipReader(ZipBytes in) {
        this.in = in;
    }

    /** The members in central directory order. */
    static List<ZipEntry> read(ZipBytes in) throws TensorFormatException {
        return new StoredZipReader(in).read();
    }

    private record Directory(long offset, long size, long entries, long end) {
    }

    private List<ZipEntry> read() throws TensorFormatException {
        Directory dir = directory();
        List<ZipEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long pos = dir.offset();
        for (long i = 0; i < dir.entries(); i++) {
            Central c = centralEntry(pos, dir);
            ZipEntry e = c.entry();
            if (!names.add(e.name())) {
                throw in.fail("duplicate zip entry " + quote(e.name()));
            }
            entries.add(e);
            pos = c.next();
        }
        if (pos != dir.offset() + dir.size()) {
            throw in.fail("the central directory is " + dir.size() + " bytes but its "
                    + dir.entries() + " entries take " + (pos - dir.offset()));
        }
        checkNoOverlap(entries);
        return entries;
    }

    // --- end of central directory (4.3.16), ZIP64 locator (4.3.15) and record (4.3.14) ---

    private Directory directory() throws TensorFormatException {
        long size = in.size();
        if (size < EOCD_SIZE) {
            throw in.fail("truncated archive: " + size + " bytes is too short for a zip archive");
        }
        long eocd = -1;
        // The record is the last thing in the file, followed only by its comment (<= 65535 bytes).
        long lowest = Math.max(0, size - EOCD_SIZE - MAX16);
        for (long p = size - EOCD_SIZE; p >= lowest; p--) {
            if (in.u32(p, "end of central directory") == SIG_EOCD
                    && p + EOCD_SIZE + in.u16(p + 20, "zip comment length") == size) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw in.fail("no zip end-of-central-directory record: the archive is truncated or not a zip file");
        }
        int disk = in.u16(eocd + 4, "disk number");
        int cdDisk = in.u16(eocd + 6, "central directory disk");
        long entriesHere = in.u16(eocd + 8, "entry count");
        long entries = in.u16(eocd + 10, "entry count");
        long cdSize = in.u32(eocd + 12, "central directory size");
        long cdOffset = in.u32(eocd + 16, "central directory offset");
        long end = eocd;

        long locator = eocd - LOCATOR_SIZE;
        if (locator >= 0 && in.u32(locator, "ZIP64 locator") == SIG_ZIP64_LOCATOR) {
            long zipDisk = in.u32(locator + 4, "ZIP64 record disk");
            long record = in.u64(locator + 8, "ZIP64 record offset");
            long disks = in.u32(locator + 16, "disk count");
            if (zipDisk != 0 || disks > 1) {
                throw in.fail("split (multi-disk) zip archives are not supported");
            }
            if (record > locator - 56) {
                throw in.fail("the ZIP64 end-of-central-directory record offset " + record
                        + " is past its locator at " + locator);
            }
            if (in.u32(record, "ZIP64 end of central directory") != SIG_ZIP64_EOCD) {
                throw in.fail("no ZIP64 end-of-central-directory record at offset " + record);
            }
            long recordSize = in.u64(record + 4, "ZIP64 record size");
            if (recordSize < 44 || recordSize > locator - record - 12) {
                throw in.fail("the ZIP64 end-of-central-directory record claims " + recordSize
                        + " bytes, which does not fit before its locator");
            }
            long disk64 = in.u32(record + 16, "disk number");
            long cdDisk64 = in.u32(record + 20, "central directory disk");
            long here64 = in.u64(record + 24, "entry count");
            long entries64 = in.u64(record + 32, "entry count");
            long cdSize64 = in.u64(record + 40, "central directory size");
            long cdOffset64 = in.u64(record + 48, "central directory offset");
            // The 16/32-bit fields hold either the real value or the "see ZIP64" marker.
            agree("entry count", entries, MAX16, entries64);
            agree("entry count", entriesHere, MAX16, here64);
            agree("central directory size", cdSize, MAX32, cdSize64);
            agree("central directory offset", cdOffset, MAX32, cdOffset64);
            if (disk64 != 0 || cdDisk64 != 0) {
                throw in.fail("split (multi-disk) zip archives are not supported");
            }
            entriesHere = here64;
            entries = entries64;
            cdSize = cdSize64;
            cdOffset = cdOffset64;
            end = record;
        } else if (entries == MAX16 || cdSize == MAX32 || cdOffset == MAX32) {
            throw in.fail("the end-of-central-directory record refers to ZIP64 values but there is no ZIP64 locator");
        }
        if (disk != 0 || cdDisk != 0) {
            throw in.fail("split (multi-disk) zip archives are not supported");
        }
        if (entriesHere != entries) {
            throw in.fail("split (multi-disk) zip archives are not supported");
        }
        if (cdOffset > end || cdSize > end - cdOffset) {
            throw in.fail("the central directory (offset " + cdOffset + ", " + cdSize
                    + " bytes) runs past the end records at " + end);
        }
        if (entries > cdSize / CENTRAL_SIZE) {
            throw in.fail("the archive claims " + entries + " entries but its central directory ("
                    + cdSize + " bytes) cannot hold that many");
        }
        return new Directory(cdOffset, cdSize, entries, end);
    }

    private void agree(String what, long small, long marker, long wide) throws TensorFormatException {
        if (small != marker && small != wide) {
            throw in.fail("the end records disagree about the " + what + ": " + small + " vs ZIP64 " + wide);
        }
    }

    // --- central directory file header (4.3.12) and local file header (4.3.7) ---

    /** An entry and where the next central directory record starts. */
    private record Central(ZipEntry entry, long next) {
    }

    private Central centralEntry(long pos, Directory dir) throws TensorFormatException {
        long cdEnd = dir.offset() + dir.size();
        if (pos > cdEnd - CENTRAL_SIZE) {
            throw in.fail("the central directory ends inside an entry at offset " + pos);
        }
        if (in.u32(pos, "central directory entry") != SIG_CENTRAL) {
            throw in.fail("bad central directory entry signature at offset " + pos);
        }
        int flags = in.u16(pos + 8, "flags");
        int method = in.u16(pos + 10, "compression method");
        long csize = in.u32(pos + 20, "compressed size");
        long usize = in.u32(pos + 24, "size");
        int nameLen = in.u16(pos + 28, "name length");
        int extraLen = in.u16(pos + 30, "extra field length");
        int commentLen = in.u16(pos + 32, "comment length");
        long diskStart = in.u16(pos + 34, "disk number");
        long local = in.u32(pos + 42, "local header offset");
        long total = (long) CENTRAL_SIZE + nameLen + extraLen + commentLen;
        if (pos > cdEnd - total) {
            throw in.fail("a central directory entry at offset " + pos + " runs past the end of the directory");
        }
        byte[] rawName = in.bytes(pos + CENTRAL_SIZE, nameLen, "entry name");
        String name = decodeName(rawName);

        // ZIP64 extended information (4.5.3): only the fields whose 32/16-bit value is the marker.
        long extra = pos + CENTRAL_SIZE + nameLen;
        long z64 = findExtra(extra, extraLen, name);
        if (usize == MAX32 || csize == MAX32 || local == MAX32 || diskStart == MAX16) {
            if (z64 < 0) {
                throw in.fail("entry " + quote(name) + " refers to ZIP64 sizes but has no ZIP64 extra field");
            }
            long p = z64 + 4;
            long limit = z64 + 4 + in.u16(z64 + 2, "ZIP64 extra length");
            if (usize == MAX32) {
                usize = extraLong(p, limit, name);
                p += 8;
            }
            if (csize == MAX32) {
                csize = extraLong(p, limit, name);
                p += 8;
            }
            if (local == MAX32) {
                local = extraLong(p, limit, name);
                p += 8;
            }
            if (diskStart == MAX16) {
                if (p + 4 > limit) {
                    throw in.fail("entry " + quote(name) + ": ZIP64 extra field is too short");
                }
                diskStart = in.u32(p, "disk number");
            }
        }
        if (diskStart != 0) {
            throw in.fail("split (multi-disk) zip archives are not supported");
        }
        if ((flags & 1) != 0) {
            throw in.fail("entry " + quote(name) + " is encrypted");
        }
        if (method != 0) {
            throw in.fail("entry " + quote(name) + " is compressed (zip method " + method
                    + "); only stored entries can be mapped: torch.save writes them stored");
        }
        if (csize != usize) {
            throw in.fail("entry " + quote(name) + " is stored but claims " + csize
                    + " compressed bytes and " + usize + " uncompressed bytes");
        }
        return new Central(localEntry(name, rawName, local, usize, method, dir.offset()), pos + total);
    }

    private ZipEntry localEntry(String name, byte[] rawName, long local, long size, int method,
                                long cdOffset) throws TensorFormatException {
        // Local headers and member data come before the central directory.
        if (local > cdOffset - LOCAL_SIZE) {
            throw in.fail("entry " + quote(name) + ": local header offset " + local
                    + " is past the start of the central directory (" + cdOffset + ")");
        }
        if (in.u32(local, "local header") != SIG_LOCAL) {
            throw in.fail("entry " + quote(name) + ": no local header at offset " + local);
        }
        int flags = in.u16(local + 6, "flags");
        int lmethod = in.u16(local + 8, "compression method");
        long lcsize = in.u32(local + 18, "compressed size");
        long lusize = in.u32(local + 22, "size");
        int nameLen = in.u16(local + 26, "name length");
        int extraLen = in.u16(local + 28, "extra field length");
        if (local + LOCAL_SIZE + nameLen > cdOffset) {
            throw in.fail("entry " + quote(name) + ": local header runs into the central directory");
        }
        byte[] lname = in.bytes(local + LOCAL_SIZE, nameLen, "local entry name");
        if (!Arrays.equals(lname, rawName)) {
            throw in.fail("entry " + quote(name) + ": its local header names it "
                    + quote(new String(lname, StandardCharsets.UTF_8)));
        }
        if (lmethod != method) {
            throw in.fail("entry " + quote(name) + ": local header says compression method " + lmethod
                    + ", the central directory says " + method);
        }
        long extra = local + LOCAL_SIZE + nameLen;
        if (lusize == MAX32 || lcsize == MAX32) {
            long z64 = findExtra(extra, extraLen, name);
            if (z64 < 0) {
                throw in.fail("entry " + quote(name) + ": local header refers to ZIP64 sizes but has no ZIP64 extra field");
            }
            long limit = z64 + 4 + in.u16(z64 + 2, "ZIP64 extra length");
            lusize = extraLong(z64 + 4, limit, name);
            lcsize = extraLong(z64 + 12, limit, name);
        }
        // With flag bit 3 the sizes follow the data (4.4.4); torch.save writes zeros here.
        boolean deferred = (flags & 8) != 0 && lusize == 0 && lcsize == 0;
        if (!deferred && (lusize != size || lcsize != size)) {
            throw in.fail("entry " + quote(name) + ": local header says " + lusize
                    + " bytes, the central directory says " + size);
        }
        long data = extra + extraLen;
        if (data > cdOffset || size > cdOffset - data) {
            throw in.fail("entry " + quote(name) + " (" + size + " bytes at offset " + data
                    + ") runs past the start of the central directory at " + cdOffset);
        }
        return new ZipEntry(name, local, data, size);
    }

    /** Offset of the extra-field block with the ZIP64 id, or -1. */
    private long findExtra(long start, int length, String name) throws TensorFormatException {
        long p = start;
        long end = start + length;
        while (p + 4 <= end) {
            int id = in.u16(p, "extra field id");
            int len = in.u16(p + 2, "extra field length");
            if (p + 4 + len > end) {
                throw in.fail("entry " + quote(name) + ": an extra field runs past its header");
            }
            if (id == ZIP64_EXTRA_ID) {
                return p;
            }
            p += 4 + len;
        }
        return -1;
    }

    private long extraLong(long p, long limit, String name) throws TensorFormatException {
        if (p + 8 > limit) {
            throw in.fail("entry " + quote(name) + ": ZIP64 extra field is too short");
        }
        return in.u64(p, "ZIP64 size of " + quote(name));
    }

    private void checkNoOverlap(List<ZipEntry> entries) throws TensorFormatException {
        List<ZipEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipEntry::headerOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            ZipEntry a = byOffset.get(i - 1);
            ZipEntry b = byOffset.get(i);
            if (a.dataEnd() > b.headerOffset()) {
                throw in.fail("zip entries " + quote(a.name()) + " and " + quote(b.name())
                        + " overlap (" + a.name() + " ends at " + a.dataEnd() + ", "
                        + b.name() + " starts at " + b.headerOffset() + ")");
            }
        }
    }

    private String decodeName(byte[] raw) throws TensorFormatException {
        try {
            return Utf8.decode(raw);
        } catch (CharacterCodingException e) {
            throw in.fail("a zip entry name is not valid UTF-8");
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        int n = Math.min(s.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (n < s.length()) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
