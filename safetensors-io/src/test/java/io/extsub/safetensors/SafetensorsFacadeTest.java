package io.extsub.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsFacadeTest {

    @TempDir
    Path dir;

    private static final List<TensorSpec> ONE = List.of(new TensorSpec("w", DType.U8, new long[] {1}));

    @Test
    void opensAFileOrAFolder() throws Exception {
        Path f = dir.resolve("model.safetensors");
        SafetensorsWriter.write(f, ONE, (s, d) -> d.fill((byte) 42));
        try (TensorSource s = Safetensors.open(f)) {
            assertInstanceOf(SafetensorsFile.class, s);
            assertEquals(42, s.find("w").orElseThrow().data().get(ValueLayout.JAVA_BYTE, 0));
        }
        try (TensorSource s = Safetensors.open(dir)) {
            assertEquals(f, s.path());
        }
    }

    @Test
    void opensAnAdapterFolder() throws Exception {
        Path f = dir.resolve("adapter_model.safetensors");
        SafetensorsWriter.write(f, ONE, (s, d) -> { });
        try (TensorSource s = Safetensors.open(dir)) {
            assertEquals(f, s.path());
        }
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Safetensors.open(dir));
        assertEquals("folder holds none of model.safetensors, model.safetensors.index.json, adapter_model.safetensors",
                e.problem());
        Path nowhere = dir.resolve("nope.safetensors");
        assertEquals(nowhere + ": no such file or folder",
                assertThrows(TensorFormatException.class, () -> Safetensors.open(nowhere)).getMessage());
    }

    @Test
    void aFolderIsNotAFile() {
        assertEquals(dir + ": is a folder, not a safetensors file",
                assertThrows(TensorFormatException.class, () -> SafetensorsFile.open(dir)).getMessage());
    }

    @Test
    void closeIsIdempotentAndUnmaps() throws Exception {
        Path f = dir.resolve("x.safetensors");
        SafetensorsWriter.write(f, ONE, (s, d) -> { });
        SafetensorsFile file = SafetensorsFile.open(f);
        TensorView v = file.tensors().getFirst();
        file.close();
        file.close();
        assertThrows(IllegalStateException.class, () -> v.data().get(ValueLayout.JAVA_BYTE, 0));
        Files.delete(f);
    }
}
