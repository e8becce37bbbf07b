#!/usr/bin/env bash
# Measures this machine's FP32 FMA peak per core (dev-only; needs gcc): 12 independent chains
# of the widest FMAs the CPU has (512-bit with AVX-512, else 256-bit AVX2; enough to cover the
# FMA latency on two pipes), as JAVA-BUILD.md section 6 did. Run it next to jmh/compare-openblas.sh: a host that runs below its nominal peak (shared
# or throttled cores) moves every absolute GFLOPS figure, and this says by how much.
#
#   jmh/fma-peak.sh [runs]      prints GFLOPS for one core, then for each of the cores at once
set -euo pipefail
runs="${1:-3}"
command -v gcc >/dev/null || { echo "fma-peak: gcc is needed" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The widest FMA this CPU runs; a 512-bit binary would die of SIGILL on an AVX2-only host.
if grep -qw avx512f /proc/cpuinfo; then
  isa=(-mavx512f); vec=__m512; pre=_mm512; lanes=16
else
  isa=(-mavx2 -mfma); vec=__m256; pre=_mm256; lanes=8
fi
cat > "$tmp/fma.c" <<'C'
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
int main(void) {
    VEC acc[12];
    const VEC m = PRE(_set1_ps)(1.0000001f), a = PRE(_set1_ps)(1e-7f);
    for (int i = 0; i < 12; i++) acc[i] = PRE(_set1_ps)((float) i);
    const long n = 100000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < n; k++) {
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) acc[i] = PRE(_fmadd_ps)(acc[i], m, a);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    float sink = 0;
    float lane[LANES];
    for (int i = 0; i < 12; i++) { PRE(_storeu_ps)(lane, acc[i]); sink += lane[0]; }
    printf("%.1f GFLOPS%s\n", n * 12.0 * 2 * LANES / s / 1e9, sink == 12345.0f ? " " : "");
    return 0;
}
C
gcc -O2 "${isa[@]}" -DVEC="$vec" "-DPRE(x)=${pre}##x" -DLANES="$lanes" "$tmp/fma.c" -o "$tmp/fma"
cores=$(nproc)
echo "# FP32 FMA peak ($((lanes * 32))-bit FMAs), $(date -u +%FT%TZ), $cores cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= runs; r++)); do
  echo "one core:  $("$tmp/fma")"
  all=$(for ((c = 0; c < cores; c++)); do "$tmp/fma" & done; wait)
  echo "each of $cores cores at once: $(echo "$all" | tr '\n' ' ')"
done
