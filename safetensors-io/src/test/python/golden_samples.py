#!/usr/bin/env python3
"""Writes golden-samples.tsv: sample values of every tensor in the golden folder.

Independent of the Java reader: the header is parsed with Python's json module and the
bytes decoded with numpy (BF16 widened by a 16-bit shift into float32). Run from the
repository root:

    /usr/bin/python3 safetensors-io/src/test/python/golden_samples.py ../shared/golden \
        > safetensors-io/src/test/resources/io/extsub/safetensors/golden-samples.tsv

Columns: file (relative to the golden folder), tensor, flat element index, dtype,
raw stored bits (hex, as the little-endian unsigned integer), value as float32 (repr of
the float64 it widens to). Samples: first, middle and last element of each tensor.
"""
import json
import os
import struct
import sys

import numpy as np

WIDTH = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


def decode(dtype, raw):
    if dtype == "F32":
        bits = int(np.frombuffer(raw, dtype="<u4")[0])
        val = float(np.frombuffer(raw, dtype="<f4")[0])
    elif dtype == "F16":
        bits = int(np.frombuffer(raw, dtype="<u2")[0])
        val = float(np.frombuffer(raw, dtype="<f2")[0])
    elif dtype == "BF16":
        bits = int(np.frombuffer(raw, dtype="<u2")[0])
        val = float(np.array([bits << 16], dtype="<u4").view("<f4")[0])
    elif dtype == "F64":
        bits = int(np.frombuffer(raw, dtype="<u8")[0])
        val = float(np.frombuffer(raw, dtype="<f8")[0])
    else:
        raise SystemExit("unexpected dtype " + dtype)
    return bits, val


def main(root):
    paths = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".safetensors"):
                paths.append(os.path.join(d, f))
    print("# file\ttensor\tindex\tdtype\tbits\tvalue")
    for p in sorted(paths):
        with open(p, "rb") as fh:
            data = fh.read()
        n = struct.unpack("<Q", data[:8])[0]
        header = json.loads(data[8:8 + n].decode("utf-8"))
        base = 8 + n
        rel = os.path.relpath(p, root)
        for name in sorted(k for k in header if k != "__metadata__"):
            info = header[name]
            dtype = info["dtype"]
            w = WIDTH[dtype]
            count = 1
            for s in info["shape"]:
                count *= s
            if count == 0:
                continue
            begin = info["data_offsets"][0]
            for idx in sorted({0, count // 2, count - 1}):
                raw = data[base + begin + idx * w: base + begin + (idx + 1) * w]
                bits, val = decode(dtype, raw)
                print("%s\t%s\t%d\t%s\t%x\t%r" % (rel, name, idx, dtype, bits, val))


if __name__ == "__main__":
    main(sys.argv[1])
