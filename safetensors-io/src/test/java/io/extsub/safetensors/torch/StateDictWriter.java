package io.extsub.safetensors.torch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a torch.save archive of a state dict the way PyTorch 1.6+ lays it out: pickle
 * protocol 2 in {@code <folder>/data.pkl}, one {@code <folder>/data/<key>} per storage,
 * {@code <folder>/version}. Written from the format, independently of the reader.
 */
final class StateDictWriter {
    record Storage(String storageClass, long elements, byte[] data) {
    }

    record Tensor(String name, String storageKey, long offset, long[] shape, long[] stride) {
    }

    final Map<String, Storage> storages = new LinkedHashMap<>();
    final List<Tensor> tensors = new ArrayList<>();
    String folder = "archive";
    boolean orderedDict = true;
    boolean asParameters = false;
    boolean withMetadataBuild = false;
    String byteorder = "little";
    String version = "3";
    final ZipBuilder zip = new ZipBuilder();

    StateDictWriter storage(String key, String storageClass, int itemSize, byte[] data) {
        storages.put(key, new Storage(storageClass, data.length / itemSize, data));
        return this;
    }

    StateDictWriter tensor(String name, String key, long offset, long[] shape, long[] stride) {
        tensors.add(new Tensor(name, key, offset, shape, stride));
        return this;
    }

    /** A contiguous tensor with its own storage. */
    StateDictWriter contiguous(String name, String storageClass, int itemSize, long[] shape, byte[] data) {
        String key = Integer.toString(storages.size());
        storage(key, storageClass, itemSize, data);
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return tensor(name, key, 0, shape, stride);
    }

    byte[] pickle() {
        PickleBuilder p = new PickleBuilder().proto(2);
        if (orderedDict) {
            p.global("collections", "OrderedDict").emptyTuple().reduce();
        } else {
            p.emptyDict();
        }
        p.mark();
        for (Tensor t : tensors) {
            Storage s = storages.get(t.storageKey());
            p.str(t.name());
            if (asParameters) {
                p.global("torch._utils", "_rebuild_parameter").mark();
            }
            p.global("torch._utils", "_rebuild_tensor_v2").mark()
                    .mark().str("storage").global("torch", s.storageClass()).str(t.storageKey()).str("cpu")
                    .integer(s.elements()).tuple().op('Q')
                    .integer(t.offset()).intTuple(t.shape()).intTuple(t.stride()).newFalse()
                    .global("collections", "OrderedDict").emptyTuple().reduce()
                    .tuple().reduce();
            if (asParameters) {
                p.newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
            }
        }
        p.setitems();
        if (withMetadataBuild) {
            // state_dict()._metadata as OrderedDict.__reduce__ pickles it: BUILD with {'_metadata': {...}}
            p.emptyDict().str("_metadata").global("collections", "OrderedDict").emptyTuple().reduce()
                    .str("").emptyDict().str("version").integer(1).op('s').op('s').op('s').op('b');
        }
        return p.stop().bytes();
    }

    byte[] build() {
        return build(pickle());
    }

    byte[] build(byte[] pickle) {
        zip.add(folder + "/data.pkl", pickle);
        if (byteorder != null) {
            zip.add(folder + "/byteorder", byteorder.getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, Storage> e : storages.entrySet()) {
            zip.add(folder + "/data/" + e.getKey(), e.getValue().data());
        }
        if (version != null) {
            zip.add(folder + "/version", (version + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return zip.build();
    }

    /** An archive holding {@code pickle} and one 4-float storage under key "0". */
    static byte[] archiveWith(byte[] pickle) {
        return new StateDictWriter().storage("0", "FloatStorage", 4, new byte[16]).build(pickle);
    }
}
