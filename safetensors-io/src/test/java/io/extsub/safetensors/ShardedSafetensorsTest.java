package io.extsub.safetensors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedSafetensorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void shards() throws IOException {
        shard("model-00001-of-00002.safetensors", "a", "b");
        shard("model-00002-of-00002.safetensors", "c");
    }

    private void shard(String file, String... names) throws IOException {
        List<TensorSpec> specs = java.util.Arrays.stream(names)
                .map(n -> new TensorSpec(n, DType.F32, new long[] {2})).toList();
        SafetensorsWriter.write(dir.resolve(file), specs, (s, d) -> d.fill((byte) s.name().charAt(0)));
    }

    private Path index(String json) throws IOException {
        return Files.writeString(dir.resolve("model.safetensors.index.json"), json);
    }

    private static final String GOOD = """
            {"metadata": {"total_size": 24, "note": "x"},
             "weight_map": {"a": "model-00001-of-00002.safetensors",
                            "c": "model-00002-of-00002.safetensors",
                            "b": "model-00001-of-00002.safetensors"}}
            """;

    @Test
    void opensAsOneSource() throws IOException {
        Path idx = index(GOOD);
        try (ShardedSafetensors s = ShardedSafetensors.open(idx)) {
            assertEquals(List.of("a", "b", "c"), s.tensors().stream().map(TensorView::name).toList());
            assertEquals(Map.of("total_size", "24", "note", "x"), s.metadata());
            assertEquals(2, s.shards().size());
            assertEquals('c', s.find("c").orElseThrow().data().get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(s.find("z").isEmpty());
            assertEquals(idx, s.path());
        }
        try (TensorSource viaFacade = Safetensors.open(dir)) {
            assertInstanceOf(ShardedSafetensors.class, viaFacade);
            assertEquals(3, viaFacade.tensors().size());
        }
    }

    private String refuse(String json) throws IOException {
        Path idx = index(json);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> ShardedSafetensors.open(idx).close());
        assertEquals(idx, e.file());
        return e.problem();
    }

    @Test
    void missingShard() throws IOException {
        assertEquals("shard \"model-00003.safetensors\" named in weight_map does not exist",
                refuse("{\"weight_map\":{\"a\":\"model-00003.safetensors\"}}"));
    }

    @Test
    void tensorNotInItsShard() throws IOException {
        assertEquals("weight_map puts tensor \"c\" in shard \"model-00001-of-00002.safetensors\", which does not hold it",
                refuse("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00001-of-00002.safetensors\","
                        + "\"c\":\"model-00001-of-00002.safetensors\"}}"));
    }

    @Test
    void tensorInTwoShards() throws IOException {
        shard("extra.safetensors", "x", "a");
        assertEquals("tensor \"a\" is in two shards: \"model-00001-of-00002.safetensors\" and \"extra.safetensors\"",
                refuse("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00001-of-00002.safetensors\","
                        + "\"c\":\"model-00002-of-00002.safetensors\",\"x\":\"extra.safetensors\"}}"));
    }

    @Test
    void tensorListedTwice() throws IOException {
        assertEquals("weight_map lists tensor \"a\" twice (or another member is repeated)",
                refuse("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"a\":\"model-00002-of-00002.safetensors\"}}"));
    }

    @Test
    void unlistedTensorInAShard() throws IOException {
        assertEquals("shard \"model-00001-of-00002.safetensors\" holds tensor \"b\", which weight_map does not list",
                refuse("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"c\":\"model-00002-of-00002.safetensors\"}}"));
    }

    @Test
    void shardNamesMustStayInTheFolder() throws IOException {
        assertEquals("weight_map entry \"a\" names \"../x.safetensors\", which is not a file name in the index's folder",
                refuse("{\"weight_map\":{\"a\":\"../x.safetensors\"}}"));
        assertEquals("weight_map entry \"a\" names \"/etc/passwd\", which is not a file name in the index's folder",
                refuse("{\"weight_map\":{\"a\":\"/etc/passwd\"}}"));
    }

    @Test
    void structuralErrors() throws IOException {
        assertEquals("missing \"weight_map\"", refuse("{\"metadata\":{}}"));
        assertEquals("\"weight_map\" must be an object, found array", refuse("{\"weight_map\":[]}"));
        assertEquals("weight_map entry \"a\" must name a shard file, found number", refuse("{\"weight_map\":{\"a\":1}}"));
        assertEquals("\"metadata\" must be an object, found string", refuse("{\"metadata\":\"x\",\"weight_map\":{}}"));
        assertEquals("not valid JSON: at offset 15: unexpected end of input, expected a member name",
                refuse("{\"weight_map\":{"));
    }

    @Test
    void invalidShardIsReportedWithItsOwnName() throws IOException {
        Path bad = Files.write(dir.resolve("model-00002-of-00002.safetensors"), new byte[3]);
        Path idx = index(GOOD);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> ShardedSafetensors.open(idx));
        assertEquals(bad.toAbsolutePath(), e.file().toAbsolutePath());
    }
}
