#!/usr/bin/env bash
# Measures this machine's FP32 FMA peak per core (dev-only; needs gcc): 12 independent chains
# of 512-bit FMAs (enough to cover the FMA latency on two pipes), as JAVA-BUILD.md section 6
# did. Run it next to jmh/compare-openblas.sh: a host that runs below its nominal peak (shared
# or throttled cores) moves every absolute GFLOPS figure, and this says by how much.
#
#   jmh/fma-peak.sh [runs]      prints GFLOPS for one core, then for each of the cores at once
set -euo pipefail
runs="${1:-3}"
command -v gcc >/dev/null || { echo "fma-peak: gcc is needed" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/fma.c" <<'C'
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
int main(void) {
    __m512 acc[12];
    const __m512 m = _mm512_set1_ps(1.0000001f), a = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps((float) i);
    const long n = 100000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < n; k++) {
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    float sink = 0;
    for (int i = 0; i < 12; i++) sink += _mm512_reduce_add_ps(acc[i]);
    printf("%.1f GFLOPS%s\n", n * 12.0 * 32 / s / 1e9, sink == 12345.0f ? " " : "");
    return 0;
}
C
gcc -O2 -mavx512f "$tmp/fma.c" -o "$tmp/fma"
cores=$(nproc)
echo "# FP32 FMA peak, $(date -u +%FT%TZ), $cores cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= runs; r++)); do
  echo "one core:  $("$tmp/fma")"
  all=$(for ((c = 0; c < cores; c++)); do "$tmp/fma" & done; wait)
  echo "each of $cores cores at once: $(echo "$all" | tr '\n' ' ')"
done
