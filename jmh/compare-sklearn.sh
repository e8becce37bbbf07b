#!/usr/bin/env bash
# Randomized SVD: ours (Java, mapped float32 file through GEMM packing) against
# scikit-learn's randomized_svd (numpy on OpenBLAS), same matrices, run alternately.
#
# Prints, per case, the best and median wall time of each (in-process, JIT/BLAS warm: scikit-learn
# gets one untimed call and 3 timed ones, ours two untimed runs for the JIT and 3 timed ones) and
# error/optimal = ||A - U S V^T||_F / ||A - A_k||_F, both errors computed here by numpy in
# float64; the optimal one from the known spectrum (decaying cases) or from the eigenvalues
# of A^T A (Gaussian case).
#
# Usage: jmh/compare-sklearn.sh [ROUNDS] [CASES...]
#        jmh/compare-sklearn.sh extract [ROUNDS]
#   The second form times 'extract' (whole process) on F16 models with a 4096x4096 q_proj and an
#   11008x4096 up_proj delta at rank 64, against scikit-learn's in-process time for the same two
#   factorizations. Without EXTSUB_OUT it runs bin/extsub itself (its JVM flags, compiler
#   directives and AppCDS archive); with EXTSUB_OUT=<dir>, the launcher's java command line
#   (EXTSUB_PRINT_COMMAND) on cli/<dir>/extsub.jar instead, without the archive, which belongs
#   to cli/target.
#   build first:  mvn -B -q -Dextsub.out=target package -DskipTests -pl jmh -am
#   CASES like 4096x4096:exp:64 (shape:spectrum:k, spectrum exp|poly|gauss); default all
#   of {4096x4096, 11008x4096} x {exp, gauss} x {16, 64}.
#   EXTSUB_OUT=target-h3 selects jmh/$EXTSUB_OUT/benchmarks.jar; JAVA defaults to JDK 25.
# Needs /usr/bin/python3 with numpy and scikit-learn (Debian: apt-get install python3-sklearn).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/${EXTSUB_OUT:-target}/benchmarks.jar"
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mode=svd
if [ "${1:-}" = extract ]; then
  mode=extract
  shift
fi
rounds=${1:-2}
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(4096x4096:exp:16 4096x4096:exp:64 4096x4096:gauss:16 4096x4096:gauss:64
         11008x4096:exp:16 11008x4096:exp:64 11008x4096:gauss:16 11008x4096:gauss:64)
fi
[ "$mode" = extract ] || [ -f "$jar" ] || { echo "missing $jar (build the jmh module first)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/extsub-rsvd.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Only this tool's numpy/OpenBLAS: the machine-wide OpenBLAS overrides would mis-tune it.
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$@"; }

cat > "$work/tool.py" <<'PY'
import sys, time, json, os
import numpy as np

def generate(path, m, n, spectrum, seed=7):
    """Writes A (float32, row-major) and returns its singular values (float64) or None."""
    rng = np.random.default_rng(seed)
    if spectrum == "gauss":
        a = rng.standard_normal((m, n), dtype=np.float32)
        a.tofile(path)
        g = a.T.astype(np.float64) @ a.astype(np.float64) if m >= n else a.astype(np.float64) @ a.T.astype(np.float64)
        s = np.sqrt(np.clip(np.linalg.eigvalsh(g)[::-1], 0, None))
        return s
    r = 1024
    u, _ = np.linalg.qr(rng.standard_normal((m, r)))
    v, _ = np.linalg.qr(rng.standard_normal((n, r)))
    i = np.arange(r)
    s = np.exp(-i / 32.0) if spectrum == "exp" else 1.0 / (i + 1.0)
    a = ((u * s) @ v.T).astype(np.float32)
    a.tofile(path)
    return s

def optimal(s, k):
    return float(np.sqrt(np.sum(s[k:] ** 2) / np.sum(s ** 2)))

def error(a, u, s, vt):
    a64 = a.astype(np.float64)
    d = a64 - (u.astype(np.float64) * s.astype(np.float64)) @ vt.astype(np.float64)
    return float(np.linalg.norm(d) / np.linalg.norm(a64))

cmd = sys.argv[1]
if cmd == "generate":
    path, m, n, spectrum = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    s = generate(path, m, n, spectrum)
    json.dump({"s": s.tolist()}, open(path + ".json", "w"))
elif cmd == "sklearn":
    from sklearn.utils.extmath import randomized_svd
    import sklearn
    path, m, n, k, reps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    a = np.fromfile(path, dtype=np.float32).reshape(m, n)
    s_true = np.array(json.load(open(path + ".json"))["s"])
    randomized_svd(a, k, random_state=0)  # warm-up
    times = []
    for i in range(reps):
        t0 = time.perf_counter()
        u, s, vt = randomized_svd(a, k, random_state=i)
        times.append(time.perf_counter() - t0)
    e = error(a, u, s, vt)
    times.sort()
    print(f"sklearn {sklearn.__version__}: best {times[0]:.3f} s median {times[len(times)//2]:.3f} s "
          f"error/optimal {e / optimal(s_true, k):.5f}")
    print(f"RESULT sklearn {times[0]:.4f} {e / optimal(s_true, k):.6f}")
elif cmd == "score":
    path, m, n, k, out = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    a = np.fromfile(path, dtype=np.float32).reshape(m, n)
    s_true = np.array(json.load(open(path + ".json"))["s"])
    u = np.fromfile(os.path.join(out, "u.f32"), dtype=np.float32).reshape(m, k)
    s = np.fromfile(os.path.join(out, "s.f32"), dtype=np.float32)
    vt = np.fromfile(os.path.join(out, "vt.f32"), dtype=np.float32).reshape(k, n)
    e = error(a, u, s, vt)
    print(f"ours error/optimal {e / optimal(s_true, k):.5f} (error {e:.6f}, optimal {optimal(s_true, k):.6f})")
    print(f"RESULT ours {e / optimal(s_true, k):.6f}")
elif cmd == "genmodels":
    import struct
    out = sys.argv[2]
    rng = np.random.default_rng(11)
    def save(path, tensors):
        header, off, blobs = {}, 0, []
        for name, arr in tensors.items():
            b = arr.astype(np.float16).tobytes()
            header[name] = {"dtype": "F16", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
            off += len(b); blobs.append(b)
        header["__metadata__"] = {"format": "pt"}
        h = json.dumps(header).encode()
        h += b" " * ((8 - len(h) % 8) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(h))); f.write(h)
            for b in blobs: f.write(b)
    shapes = {"model.layers.0.self_attn.q_proj.weight": (4096, 4096), "model.layers.0.mlp.up_proj.weight": (11008, 4096)}
    base, tuned = {}, {}
    for name, (m, n) in shapes.items():
        w = rng.standard_normal((m, n), dtype=np.float32) * 0.02
        r = 512  # a fine-tuning delta: decaying spectrum of rank 512 plus small full-rank noise
        u = rng.standard_normal((m, r), dtype=np.float32) / np.sqrt(m)
        v = rng.standard_normal((r, n), dtype=np.float32) / np.sqrt(n)
        s = (np.exp(-np.arange(r) / 48.0) * 2.0).astype(np.float32)
        base[name] = w
        tuned[name] = w + (u * s) @ v + rng.standard_normal((m, n), dtype=np.float32) * 1e-4
    save(os.path.join(out, "base.safetensors"), base)
    save(os.path.join(out, "tuned.safetensors"), tuned)
elif cmd == "skextract":
    import struct
    from sklearn.utils.extmath import randomized_svd
    def load(path):
        with open(path, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]; h = json.loads(f.read(n)); start = 8 + n
        mm = np.memmap(path, dtype=np.uint8, mode="r")
        return {k: np.frombuffer(mm[start + v["data_offsets"][0]: start + v["data_offsets"][1]], dtype=np.float16).reshape(v["shape"])
                for k, v in h.items() if k != "__metadata__"}
    b = load(os.path.join(sys.argv[2], "base.safetensors")); t = load(os.path.join(sys.argv[2], "tuned.safetensors"))
    deltas = {k: t[k].astype(np.float32) - b[k].astype(np.float32) for k in b}
    for rep in range(int(sys.argv[3])):
        total = 0.0
        for k, d in deltas.items():
            t0 = time.perf_counter()
            u, s, vt = randomized_svd(d, 64, random_state=rep)
            total += time.perf_counter() - t0
        print(f"sklearn: two factorizations {total:.3f} s (in-process, deltas formed beforehand)")
PY

if [ "$mode" = extract ]; then
  launcher="$here/../bin/extsub"
  cli="$here/../cli/${EXTSUB_OUT:-target}/extsub.jar"
  echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
  py "$work/tool.py" genmodels "$work"
  args=(extract --base "$work/base.safetensors" --tuned "$work/tuned.safetensors" --out "$work/lora" --rank 64
        --targets q_proj,up_proj)
  if [ -z "${EXTSUB_OUT:-}" ]; then
    "$launcher" --version >/dev/null   # builds the jar and records the AppCDS archive if needed, untimed
    ours=("$launcher" "${args[@]}")
  else
    [ -f "$cli" ] || { echo "missing $cli (build the cli module first)" >&2; exit 2; }
    # the launcher's command line, on the other jar (paths without spaces: it is split on them)
    read -r -a ours <<<"$(EXTSUB_PRINT_COMMAND=1 EXTSUB_NO_CDS=1 "$launcher" "${args[@]}")"
    for i in "${!ours[@]}"; do
      if [ "${ours[$i]}" = -jar ]; then ours[i + 1]=$cli; fi
    done
  fi
  for ((r = 1; r <= rounds; r++)); do
    py "$work/tool.py" skextract "$work" 2
    rm -rf "$work/lora"
    /usr/bin/time -f "ours: whole process %e s, max RSS %M KB" "${ours[@]}" 2>&1 | grep -v -i warning
  done
  exit 0
fi

echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); $(py -c 'import numpy; print("numpy", numpy.__version__)')"
summary=()
for c in "${cases[@]}"; do
  IFS=: read -r shape spectrum k <<<"$c"
  m=${shape%x*}; n=${shape#*x}
  file="$work/$shape-$spectrum.f32"
  if [ ! -f "$file" ]; then
    echo "== generating $shape $spectrum"
    py "$work/tool.py" generate "$file" "$m" "$n" "$spectrum"
  fi
  echo "== $shape $spectrum k=$k"
  best_sk=""; best_ours=""; ratio_sk=""; ratio_ours=""
  for ((r = 1; r <= rounds; r++)); do
    out=$(py "$work/tool.py" sklearn "$file" "$m" "$n" "$k" 3); echo "$out" | grep -v RESULT
    read -r _ _ t e <<<"$(echo "$out" | grep RESULT)"
    if [ -z "$best_sk" ] || awk "BEGIN{exit !($t < $best_sk)}"; then best_sk=$t; fi; ratio_sk=$e
    mkdir -p "$work/out"
    "$java" --add-modules jdk.incubator.vector -Xmx8g -cp "$jar" io.extsub.jmh.RandomizedSvdBenchmark \
        compare "$file" "$m" "$n" "$k" 3 "$work/out" 2 2>&1 | grep -v -i "warning" | tee "$work/ours.txt" | grep -E "best"
    t=$(grep best "$work/ours.txt" | awk '{print $3}')
    if [ -z "$best_ours" ] || awk "BEGIN{exit !($t < $best_ours)}"; then best_ours=$t; fi
    out=$(py "$work/tool.py" score "$file" "$m" "$n" "$k" "$work/out"); echo "$out" | grep -v RESULT
    ratio_ours=$(echo "$out" | grep RESULT | awk '{print $3}')
  done
  summary+=("$(printf '| %s | %s | %s | %.3f | %.3f | %.2f | %s | %s |' "$shape" "$spectrum" "$k" "$best_sk" "$best_ours" \
      "$(awk "BEGIN{print $best_ours / $best_sk}")" "$ratio_sk" "$ratio_ours")")
done
echo
echo "| shape | spectrum | k | sklearn best (s) | ours best (s) | ours/sklearn | sklearn err/opt | ours err/opt |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
