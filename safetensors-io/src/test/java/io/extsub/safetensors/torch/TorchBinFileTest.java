package io.extsub.safetensors.torch;

import static io.extsub.safetensors.torch.TorchTestFiles.read;
import static io.extsub.safetensors.torch.TorchTestFiles.refused;
import static io.extsub.safetensors.torch.TorchTestFiles.refusedWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.safetensors.DType;
import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives built in the test from the torch.save layout, read back and checked value by value. */
class TorchBinFileTest {

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static float[] valuesOf(TensorView v) {
        return v.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void everyStorageTypeRoundTrips() throws Exception {
        record Case(String cls, int size, DType dtype) {
        }
        List<Case> cases = List.of(new Case("FloatStorage", 4, DType.F32), new Case("HalfStorage", 2, DType.F16),
                new Case("BFloat16Storage", 2, DType.BF16), new Case("DoubleStorage", 8, DType.F64),
                new Case("LongStorage", 8, DType.I64), new Case("IntStorage", 4, DType.I32),
                new Case("ShortStorage", 2, DType.I16), new Case("CharStorage", 1, DType.I8),
                new Case("ByteStorage", 1, DType.U8), new Case("BoolStorage", 1, DType.BOOL));
        StateDictWriter w = new StateDictWriter();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            w.contiguous("t" + i, c.cls(), c.size(), new long[] {3, 5}, randomBytes(i, 15 * c.size()));
        }
        try (TorchBinFile f = read(w.build())) {
            assertEquals(cases.size(), f.tensors().size());
            for (int i = 0; i < cases.size(); i++) {
                TensorView v = f.tensors().get(i);
                assertEquals("t" + i, v.name());
                assertEquals(cases.get(i).dtype(), v.dtype());
                assertArrayEquals(new long[] {3, 5}, v.shape());
                assertArrayEquals(w.storages.get(Integer.toString(i)).data(), v.data().toArray(ValueLayout.JAVA_BYTE));
            }
            assertEquals(3, f.archiveVersion());
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void plainDictParametersMetadataAndZip64OffsetsAreAccepted() throws Exception {
        StateDictWriter w = new StateDictWriter();
        w.orderedDict = false;
        w.asParameters = true;
        w.withMetadataBuild = true;
        w.byteorder = null; // torch < 2.1 writes none
        w.folder = "some model";
        w.zip.zip64Offsets = true;
        w.contiguous("a.weight", "FloatStorage", 4, new long[] {2}, floats(1.5f, -2f));
        w.contiguous("scalar", "DoubleStorage", 8, new long[] {}, randomBytes(9, 8));
        try (TorchBinFile f = read(w.build())) {
            assertEquals(List.of("a.weight", "scalar"), f.tensors().stream().map(TensorView::name).toList());
            assertArrayEquals(new float[] {1.5f, -2f}, valuesOf(f.tensors().get(0)));
            assertEquals(0, f.tensors().get(1).rank());
            assertEquals(8, f.tensors().get(1).data().byteSize());
        }
    }

    @Test
    void zip64MarkersInTheEndRecordAndAZipCommentAreAccepted() throws Exception {
        StateDictWriter w = new StateDictWriter();
        w.contiguous("w", "FloatStorage", 4, new long[] {3}, floats(1, 2, 3));
        byte[] b = w.build();
        int eocd = w.zip.eocdOffset;
        ZipBuilder.putU16(b, eocd + 8, 0xFFFF);
        ZipBuilder.putU16(b, eocd + 10, 0xFFFF);
        ZipBuilder.putU32(b, eocd + 12, 0xFFFF_FFFFL);
        ZipBuilder.putU32(b, eocd + 16, 0xFFFF_FFFFL);
        byte[] comment = "saved by a test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] withComment = java.util.Arrays.copyOf(b, b.length + comment.length);
        System.arraycopy(comment, 0, withComment, b.length, comment.length);
        ZipBuilder.putU16(withComment, eocd + 20, comment.length);
        try (TorchBinFile f = read(withComment)) {
            assertArrayEquals(new float[] {1, 2, 3}, valuesOf(f.tensors().getFirst()));
        }
    }

    @Test
    void sharedStorageWithOffsetsIsSlicedNotCopied(@TempDir Path dir) throws Exception {
        float[] all = new float[24];
        for (int i = 0; i < all.length; i++) {
            all[i] = i * 0.25f - 3;
        }
        StateDictWriter w = new StateDictWriter().storage("0", "FloatStorage", 4, floats(all));
        w.tensor("first", "0", 0, new long[] {2, 4}, new long[] {4, 1});
        w.tensor("second", "0", 8, new long[] {4, 4}, new long[] {4, 1});
        w.tensor("column", "0", 0, new long[] {6, 1}, new long[] {4, 7}); // size-1 dim: any stride
        Path file = dir.resolve("shared.bin");
        Files.write(file, w.build());
        try (TorchBinFile f = TorchBinFile.open(file)) {
            TensorView first = f.find("first").orElseThrow();
            TensorView second = f.find("second").orElseThrow();
            assertTrue(first.data().isMapped() && second.data().isMapped(), "contiguous views are mapped slices");
            assertEquals(first.data().address() + 32, second.data().address(), "one storage, two views");
            for (int i = 0; i < 8; i++) {
                assertEquals(all[i], valuesOf(first)[i]);
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(all[8 + i], valuesOf(second)[i]);
            }
            // column: stride 4 over 6 rows is NOT contiguous (rows are 4 apart): gathered
            TensorView column = f.find("column").orElseThrow();
            assertFalse(column.data().isMapped());
            for (int r = 0; r < 6; r++) {
                assertEquals(all[4 * r], valuesOf(column)[r]);
            }
        }
    }

    @Test
    void transposedViewIsMaterializedInRowMajorOrder() throws Exception {
        // storage holds a 3x5 matrix M row-major; the tensor is M^T (5x3) with strides (1, 5)
        float[] m = new float[15];
        for (int i = 0; i < 15; i++) {
            m[i] = i + 0.5f;
        }
        StateDictWriter w = new StateDictWriter().storage("0", "FloatStorage", 4, floats(m));
        w.tensor("t", "0", 0, new long[] {5, 3}, new long[] {1, 5});
        w.tensor("strided", "0", 1, new long[] {2, 2, 2}, new long[] {10, 1, 2}); // inner stride 2
        try (TorchBinFile f = read(w.build())) {
            float[] t = valuesOf(f.find("t").orElseThrow());
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(m[j * 5 + i], t[i * 3 + j]);
                }
            }
            float[] s = valuesOf(f.find("strided").orElseThrow());
            int k = 0;
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    for (int c = 0; c < 2; c++) {
                        assertEquals(m[1 + 10 * a + b + 2 * c], s[k++]);
                    }
                }
            }
        }
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() {
        StateDictWriter past = new StateDictWriter().storage("0", "FloatStorage", 4, new byte[16]);
        past.tensor("t", "0", 1, new long[] {4}, new long[] {1});
        refusedWith(past.build(), "reads element 4 of storage '0', which has 4 elements");

        StateDictWriter expanded = new StateDictWriter().storage("0", "FloatStorage", 4, new byte[16]);
        expanded.tensor("t", "0", 0, new long[] {1000, 4}, new long[] {0, 1});
        refusedWith(expanded.build(), "expanded view");

        StateDictWriter huge = new StateDictWriter().storage("0", "FloatStorage", 4, new byte[16]);
        huge.tensor("t", "0", 0, new long[] {1L << 40, 1L << 40}, new long[] {0, 0});
        refusedWith(huge.build(), "overflows");

        StateDictWriter lyingNumel = new StateDictWriter();
        lyingNumel.storages.put("0", new StateDictWriter.Storage("FloatStorage", 1000, new byte[16]));
        lyingNumel.tensor("t", "0", 0, new long[] {4}, new long[] {1});
        refusedWith(lyingNumel.build(), "should hold 1000 F32 elements but data/0 is 16 bytes");
    }

    @Test
    void bigEndianLegacyTorchScriptAndForeignLayoutsAreRefusedWithAdvice() {
        StateDictWriter big = new StateDictWriter().contiguous("t", "FloatStorage", 4, new long[] {1}, new byte[4]);
        big.byteorder = "big";
        refusedWith(big.build(), "big-endian");

        // torch.save(..., _use_new_zipfile_serialization=False): a pickled magic number first
        byte[] legacy = new PickleBuilder().proto(2).op(0x8a).op(10)
                .raw(new byte[] {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19})
                .stop().bytes();
        String msg = refused(legacy);
        assertTrue(msg.contains("legacy (pre-1.6)") && msg.contains("torch.save(state_dict, path)"), msg);

        StateDictWriter script = new StateDictWriter().contiguous("t", "FloatStorage", 4, new long[] {1}, new byte[4]);
        script.zip.add("archive/constants.pkl", new PickleBuilder().proto(2).emptyTuple().stop().bytes());
        msg = refused(script.build());
        assertTrue(msg.contains("TorchScript") && msg.contains("torch.save(model.state_dict(), path)"), msg);

        StateDictWriter twoFolders = new StateDictWriter().contiguous("t", "FloatStorage", 4, new long[] {1}, new byte[4]);
        twoFolders.zip.add("other/x", new byte[1]);
        refusedWith(twoFolders.build(), "two top-level folders");

        StateDictWriter noVersion = new StateDictWriter().contiguous("t", "FloatStorage", 4, new long[] {1}, new byte[4]);
        noVersion.version = null;
        refusedWith(noVersion.build(), "no version record");

        refusedWith("hello world, not a zip".getBytes(), "zip signature");
    }

    @Test
    void openNamesTheFileInEveryMessage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.bin");
        Files.write(file, new byte[0]);
        TensorFormatException e = org.junit.jupiter.api.Assertions.assertThrows(TensorFormatException.class,
                () -> TorchBinFile.open(file));
        assertEquals(file + ": the file is empty", e.getMessage());
    }
}
