#!/usr/bin/env bash
# Runs our JMH SGEMM and numpy's matmul (OpenBLAS, dev-only reference) alternately in one
# sitting, and prints GFLOPS and the ratio ours / OpenBLAS per size and thread count.
#
#   jmh/compare-openblas.sh [rounds] [sizes] [threads] [lora]
#   e.g. jmh/compare-openblas.sh 2 "512 1024 2048 4096" "1 2" lora
#
# Environment: EXTSUB_OUT (build folder, default target), JAVA (default: JDK 25 from
# /usr/lib/jvm/temurin-25-jdk-amd64 or java on PATH), JMH_OPTS (extra JMH flags).
# numpy runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (auto-detected kernel) and
# OPENBLAS_NUM_THREADS = the thread count. Both sides: median of the timed repetitions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="${EXTSUB_OUT:-target}"
rounds="${1:-2}"
sizes="${2:-256 512 1024 2048 4096}"
threads_list="${3:-1 2}"
lora="${4:-lora}"
jar="$here/$out/benchmarks.jar"
java="${JAVA:-}"
if [[ -z "$java" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; else java=java; fi
fi
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -Dextsub.out="$out" -pl jmh -am package -DskipTests)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# m k n threads -> median GFLOPS of numpy matmul (float32)
numpy_gflops() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$4" /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys, time, numpy as np
m, k, n = map(int, sys.argv[1:4])
rng = np.random.default_rng(1)
a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
c = np.empty((m, n), dtype=np.float32)
flops = 2.0 * m * k * n
np.matmul(a, b, out=c)
# about 4 s of warm-up + timing, at least 5 timed runs
t0 = time.perf_counter(); np.matmul(a, b, out=c); one = time.perf_counter() - t0
for _ in range(max(2, int(1.0 / max(one, 1e-6)))): np.matmul(a, b, out=c)
reps = max(5, int(3.0 / max(one, 1e-6)))
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); np.matmul(a, b, out=c); ts.append(time.perf_counter() - t0)
ts.sort()
print("%.1f" % (flops / ts[len(ts) // 2] / 1e9))
PY
}

# benchmark-regex param-args flops -> GFLOPS from the JMH median of iterations (ms/op)
jmh_gflops() {
  local bench="$1" params="$2" flops="$3" csv="$tmp/r.csv"
  # shellcheck disable=SC2086
  "$java" -Djmh.ignoreLock=true -jar "$jar" "$bench" $params -f 1 -wi 3 -i 5 -w 1 -r 1 -rf json -rff "$tmp/r.json" ${JMH_OPTS:-} >"$tmp/log" 2>&1 \
    || { tail -20 "$tmp/log" >&2; echo "nan"; return; }
  /usr/bin/python3 - "$tmp/r.json" "$flops" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))[0]
raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
ms = statistics.median(raw)
print("%.1f" % (float(sys.argv[2]) / (ms * 1e-3) / 1e9))
PY
}

echo "# extsub SGEMM vs numpy/OpenBLAS, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $rounds alternating rounds; GFLOPS = 2mkn / median time"
printf "%-16s %7s %5s %10s %10s %7s\n" shape threads round extsub openblas ratio
run_shape() { # label m k n threads bench params
  local label="$1" m="$2" k="$3" n="$4" t="$5" bench="$6" params="$7"
  local flops=$((2 * m * k * n))
  for ((r = 1; r <= rounds; r++)); do
    local ours theirs
    ours="$(jmh_gflops "$bench" "$params" "$flops")"
    theirs="$(numpy_gflops "$m" "$k" "$n" "$t")"
    printf "%-16s %7s %5s %10s %10s %7s\n" "$label" "$t" "$r" "$ours" "$theirs" \
      "$(/usr/bin/python3 -c "print('%.2f' % ($ours / $theirs))" 2>/dev/null || echo nan)"
  done
}
for t in $threads_list; do
  for s in $sizes; do
    run_shape "${s}^3" "$s" "$s" "$s" "$t" "io.extsub.jmh.GemmBenchmark.gemm" "-p n=$s -p threads=$t"
  done
  if [[ "$lora" == lora ]]; then
    for shp in 4096x16x4096 4096x4096x32 11008x4096x64 4096x64x11008; do
      IFS=x read -r m k n <<<"$shp"
      run_shape "$shp" "$m" "$k" "$n" "$t" "io.extsub.jmh.LoraGemmBenchmark.gemm" "-p shape=$shp -p threads=$t"
    done
  fi
done
