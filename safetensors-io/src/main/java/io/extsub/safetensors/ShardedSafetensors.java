package io.extsub.safetensors;

import io.extsub.safetensors.json.Json;
import io.extsub.safetensors.json.JsonDuplicateKeyException;
import io.extsub.safetensors.json.JsonException;
import io.extsub.safetensors.json.JsonObject;
import io.extsub.safetensors.json.JsonString;
import io.extsub.safetensors.json.JsonValue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sharded checkpoint: {@code model.safetensors.index.json} (the layout of Hugging Face
 * transformers' {@code save_pretrained} with {@code max_shard_size}) plus the shard files it
 * names, seen as one set of tensors. The index has a {@code weight_map} from tensor name to
 * shard file name (in the index's folder) and an optional {@code metadata} object.
 *
 * <p>Opening checks that the index is consistent with the shards: each shard is a valid
 * safetensors file in the same folder, each listed tensor is in its shard, no tensor is in two
 * shards and no shard holds a tensor the index does not list.
 */
public final class ShardedSafetensors implements TensorSource {

    /** Index files are small; a bigger one is refused before it is read. */
    static final long MAX_INDEX_BYTES = 100_000_000L;

    private final Path index;
    private final List<SafetensorsFile> shards;
    private final List<TensorView> tensors;
    private final Map<String, TensorView> byName;
    private final Map<String, String> metadata;

    private ShardedSafetensors(Path index, List<SafetensorsFile> shards, List<TensorView> tensors,
                               Map<String, TensorView> byName, Map<String, String> metadata) {
        this.index = index;
        this.shards = List.copyOf(shards);
        this.tensors = Collections.unmodifiableList(tensors);
        this.byName = byName;
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens the index and maps every shard it names.
     * @throws TensorFormatException when the index or a shard is invalid or they disagree
     */
    public static ShardedSafetensors open(Path indexJson) throws IOException {
        JsonObject root = readIndex(indexJson);
        JsonValue wm = root.get("weight_map").orElseThrow(
                () -> new TensorFormatException(indexJson, "missing \"weight_map\""));
        if (!(wm instanceof JsonObject weightMap)) {
            throw new TensorFormatException(indexJson, "\"weight_map\" must be an object, found " + wm.typeName());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Optional<JsonValue> md = root.get("metadata");
        if (md.isPresent()) {
            if (!(md.get() instanceof JsonObject mdo)) {
                throw new TensorFormatException(indexJson, "\"metadata\" must be an object, found " + md.get().typeName());
            }
            // Values are usually numbers (total_size); keep strings bare, the rest as JSON text.
            for (Map.Entry<String, JsonValue> e : mdo.members().entrySet()) {
                metadata.put(e.getKey(), e.getValue() instanceof JsonString s ? s.value() : Json.write(e.getValue()));
            }
        }

        // Shard file -> tensor names listed for it, in first-mention order.
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : weightMap.members().entrySet()) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw new TensorFormatException(indexJson, "weight_map entry " + SafetensorsHeader.quote(e.getKey())
                        + " must name a shard file, found " + e.getValue().typeName());
            }
            checkShardName(indexJson, e.getKey(), s.value());
            byShard.computeIfAbsent(s.value(), k -> new ArrayList<>()).add(e.getKey());
        }

        Path folder = indexJson.toAbsolutePath().getParent();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            List<TensorView> all = new ArrayList<>(weightMap.size());
            Map<String, TensorView> byName = HashMap.newHashMap(weightMap.size());
            Map<String, String> shardOf = new HashMap<>();
            for (Map.Entry<String, List<String>> s : byShard.entrySet()) {
                Path shardPath = folder.resolve(s.getKey());
                if (!Files.isRegularFile(shardPath)) {
                    throw new TensorFormatException(indexJson, "shard " + SafetensorsHeader.quote(s.getKey())
                            + " named in weight_map does not exist");
                }
                SafetensorsFile shard = SafetensorsFile.open(shardPath);
                opened.add(shard);
                for (String name : s.getValue()) {
                    if (shard.find(name).isEmpty()) {
                        throw new TensorFormatException(indexJson, "weight_map puts tensor " + SafetensorsHeader.quote(name)
                                + " in shard " + SafetensorsHeader.quote(s.getKey()) + ", which does not hold it");
                    }
                }
                for (TensorView t : shard.tensors()) {
                    String listed = weightMap.getString(t.name()).orElse(null);
                    String other = shardOf.putIfAbsent(t.name(), s.getKey());
                    if (other != null) {
                        throw new TensorFormatException(indexJson, "tensor " + SafetensorsHeader.quote(t.name())
                                + " is in two shards: " + SafetensorsHeader.quote(other) + " and "
                                + SafetensorsHeader.quote(s.getKey()));
                    }
                    if (listed == null) {
                        throw new TensorFormatException(indexJson, "shard " + SafetensorsHeader.quote(s.getKey())
                                + " holds tensor " + SafetensorsHeader.quote(t.name()) + ", which weight_map does not list");
                    }
                    if (!listed.equals(s.getKey())) {
                        throw new TensorFormatException(indexJson, "tensor " + SafetensorsHeader.quote(t.name())
                                + " is in two shards: " + SafetensorsHeader.quote(listed) + " and "
                                + SafetensorsHeader.quote(s.getKey()));
                    }
                    all.add(t);
                    byName.put(t.name(), t);
                }
            }
            return new ShardedSafetensors(indexJson, opened, all, byName, metadata);
        } catch (IOException | RuntimeException | Error e) {
            for (SafetensorsFile f : opened) {
                f.close();
            }
            throw e;
        }
    }

    private static JsonObject readIndex(Path indexJson) throws IOException {
        long size;
        try {
            size = Files.size(indexJson);
        } catch (NoSuchFileException e) {
            throw new TensorFormatException(indexJson, "no such file", e);
        }
        if (size > MAX_INDEX_BYTES) {
            throw new TensorFormatException(indexJson, "index is " + size + " bytes, more than the "
                    + MAX_INDEX_BYTES + "-byte limit");
        }
        byte[] bytes = Files.readAllBytes(indexJson);
        String text;
        try {
            text = Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new TensorFormatException(indexJson, "not valid UTF-8", e);
        }
        try {
            return Json.parseObject(text);
        } catch (JsonDuplicateKeyException e) {
            if (e.depth() == 2) {
                throw new TensorFormatException(indexJson, "weight_map lists tensor "
                        + SafetensorsHeader.quote(e.key()) + " twice (or another member is repeated)");
            }
            throw new TensorFormatException(indexJson, "not valid JSON: " + e.getMessage());
        } catch (JsonException e) {
            throw new TensorFormatException(indexJson, "not valid JSON: " + e.getMessage());
        }
    }

    /** Shards must sit beside the index: a bare file name, not a path that could lead elsewhere. */
    private static void checkShardName(Path indexJson, String tensor, String shard) throws TensorFormatException {
        if (shard.isEmpty() || shard.equals(".") || shard.equals("..") || shard.indexOf('/') >= 0
                || shard.indexOf('\\') >= 0 || shard.indexOf('\0') >= 0) {
            throw new TensorFormatException(indexJson, "weight_map entry " + SafetensorsHeader.quote(tensor)
                    + " names " + SafetensorsHeader.quote(shard) + ", which is not a file name in the index's folder");
        }
    }

    @Override
    public Path path() {
        return index;
    }

    /** Tensors shard by shard (in the order the index first names each shard), file order within each. */
    @Override
    public List<TensorView> tensors() {
        return tensors;
    }

    /** The index's {@code metadata} members (numbers written as their JSON text). */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Optional<TensorView> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<SafetensorsFile> shards() {
        return shards;
    }

    @Override
    public void close() {
        for (SafetensorsFile f : shards) {
            f.close();
        }
    }
}
