package io.extsub.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Background flushing while a file is written: the data is intact and flush failures are not lost. */
class WriteBehindSyncTest {

    @TempDir
    Path dir;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void aFileSpanningSeveralFlushStepsReadsBackExactly() throws Exception {
        // 6 tensors of 8 MiB: the writer passes WriteBehindSync.STEP (16 MiB) three times.
        int perTensor = 2 << 20; // I32 elements
        List<TensorSpec> specs = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            specs.add(new TensorSpec("t" + t, DType.I32, new long[] {perTensor}));
        }
        assertEquals(3, 6L * perTensor * 4 / WriteBehindSync.STEP);
        Path target = dir.resolve("big.safetensors");
        SafetensorsWriter.write(target, specs, (s, d) -> {
            int t = Integer.parseInt(s.name().substring(1));
            for (int i = 0; i < perTensor; i++) {
                d.setAtIndex(I32, i, t * 31 + i);
            }
        });
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            for (int t = 0; t < 6; t++) {
                MemorySegment data = f.find("t" + t).orElseThrow().data();
                for (int i = 0; i < perTensor; i += 4099) {
                    assertEquals(t * 31 + i, data.getAtIndex(I32, i), "t" + t + "[" + i + "]");
                }
                assertEquals(t * 31 + perTensor - 1, data.getAtIndex(I32, perTensor - 1));
            }
        }
    }

    @Test
    void aFailedBackgroundFlushIsThrownByFinish() throws Exception {
        FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.close(); // force on a closed channel fails, as a failing disk would
        WriteBehindSync sync = new WriteBehindSync(ch, 0);
        sync.wrote(WriteBehindSync.STEP);
        assertThrows(ClosedChannelException.class, sync::finish);
    }

    @Test
    void belowOneStepNothingIsFlushedEarly() throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve("g"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.close();
        WriteBehindSync sync = new WriteBehindSync(ch, 100);
        sync.wrote(100 + WriteBehindSync.STEP - 1); // a flush here would fail on the closed channel
        sync.finish();
    }
}
