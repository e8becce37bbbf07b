package io.extsub.safetensors.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.safetensors.SafetensorsFile;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden input exists as adapter_model.bin (torch.save, torch 1.13) and
 * adapter_model.safetensors with bit-identical tensors: both readers must agree exactly.
 */
class TorchBinGoldenTest {

    static Path golden() {
        return Path.of(System.getProperty("extsub.golden", "../../shared/golden"));
    }

    static List<Path> binFiles() throws IOException {
        try (Stream<Path> s = Files.walk(golden(), 3)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().equals("adapter_model.bin")).sorted().toList();
            // 9 cases x (expert, anti_expert): an empty list would make this test vacuous
            assertTrue(files.size() >= 18, "golden .bin files found under " + golden() + ": " + files.size());
            return files;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binFiles")
    void binAndSafetensorsHoldIdenticalTensors(Path bin) throws IOException {
        Path st = bin.resolveSibling("adapter_model.safetensors");
        try (TorchBinFile b = TorchBinFile.open(bin); SafetensorsFile s = SafetensorsFile.open(st)) {
            Map<String, TensorView> fromBin = byName(b.tensors());
            Map<String, TensorView> fromSt = byName(s.tensors());
            assertEquals(fromSt.keySet(), fromBin.keySet());
            for (TensorView expected : fromSt.values()) {
                TensorView actual = fromBin.get(expected.name());
                assertEquals(expected.dtype(), actual.dtype(), expected.name());
                assertArrayEquals(expected.shape(), actual.shape(), expected.name());
                assertEquals(-1, expected.data().mismatch(actual.data()), expected.name() + " bytes differ");
                assertTrue(actual.data().isMapped(), expected.name() + " should be a slice of the mapped file");
            }
            assertEquals(3, b.archiveVersion());
        }
    }

    private static Map<String, TensorView> byName(List<TensorView> views) {
        Map<String, TensorView> m = new TreeMap<>();
        for (TensorView v : views) {
            m.put(v.name(), v);
        }
        assertEquals(views.size(), m.size(), "duplicate names");
        return m;
    }
}
