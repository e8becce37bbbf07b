package io.extsub.engine.gemm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one table of GEMM blocksizes (BLIS notation: MC x KC block of A in L2, KC x NC panel of
 * B in L3, KC x NR micro-panel of B streamed through L1), derived from the cache sizes of the
 * machine and the micro-kernel's register tile.
 *
 * <p>On the Zen 4 host of docs/benchmarks.md (L1d 32 KiB, L2 1 MiB, L3 32 MiB; 5 x 64 tile) this
 * gives KC = 512, MC = 255, NC = 4096; the Intel AVX-512 host (L1d 48 KiB, L2 2 MiB) gets KC = 512,
 * MC = 510. The project machine (Zen 5: L1d 48 KiB, L2 1 MiB) gets the Zen 4 setting, which was
 * not measured there (JAVA-BUILD.md section 6 tried KC 128 and 256 only). On the AVX2 host (L1d
 * 32 KiB, L2 512 KiB, L3 8 MiB; 6 x 16 tile) it gives KC = 256, MC = 252, NC = 2048; (MC, KC) of
 * (96, 512), (120, 256), (480, 256) and (252, 384) ran within noise of it, KC = 128 7% slower.
 *
 * @param mr micro-tile rows
 * @param nr micro-tile columns
 * @param mc rows of the packed A block (multiple of mr)
 * @param kc depth of the packed blocks
 * @param nc columns of the packed B panel (multiple of nr)
 * @param kcDirect depth of the B panel when A is read in place (unpacked): deeper, so each A
 *                 row is read in runs of whole pages, which the prefetcher follows (KC = 256
 *                 gave 1 KiB runs 16 KiB apart and 77 GFLOPS for 4096x4096x32 against 95-104
 *                 with 1024-2048 on one core); the KC x NR panel still fits in half of L2
 * @param bandRows rows of C (whole MR strips) that the row-first order of short products
 *                 (k <= 64) sweeps at once, see {@link BlockedGemm#run}
 */
record Blocking(int mr, int nr, int mc, int kc, int nc, int kcDirect, int bandRows) {
    /** The widest packed B panel, in columns, whatever the L3 and the depth. */
    private static final int MAX_NC = 16384;

    /**
     * What the blocksizes depend on: cache sizes in bytes (L1 data, L2 per core, L3 shared) and
     * whether the L3 feeds a core fast enough to re-read a B panel for every MR rows of C.
     * That last one is AMD's per-CCX L3 (a victim cache of L2, ~32 B per cycle per core), not
     * the mesh L3 of Intel's server parts; it is read from the CPU vendor, the only place the
     * kernel states it.
     */
    record Caches(long l1d, long l2, long l3, boolean fastL3) {
        static final Caches DEFAULT = new Caches(48 << 10, 1 << 20, 32 << 20, true);

        /** Reads Linux sysfs and /proc/cpuinfo; falls back to {@link #DEFAULT} (the project machine) elsewhere. */
        static Caches detect() {
            long l1 = read(0, DEFAULT.l1d), l2 = read(2, DEFAULT.l2), l3 = read(3, DEFAULT.l3);
            return new Caches(l1, l2, l3, amdOrUnknown());
        }

        private static long read(int index, long fallback) {
            Path p = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index + "/size");
            try {
                String s = Files.readString(p).trim().toUpperCase(java.util.Locale.ROOT);
                long mult = s.endsWith("K") ? 1024 : s.endsWith("M") ? 1024 * 1024 : 1;
                String digits = s.replaceAll("[^0-9]", "");
                long v = Long.parseLong(digits) * mult;
                return v > 0 ? v : fallback;
            } catch (IOException | RuntimeException e) {
                return fallback;
            }
        }

        /** True unless /proc/cpuinfo names another vendor than AMD. */
        private static boolean amdOrUnknown() {
            try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                return lines.filter(l -> l.startsWith("vendor_id")).findFirst()
                        .map(l -> l.contains("AuthenticAMD")).orElse(DEFAULT.fastL3);
            } catch (IOException | RuntimeException e) {
                return DEFAULT.fastL3;
            }
        }
    }

    static Blocking derive(int mr, int nr, Caches caches) {
        // KC: the B micro-panel (KC x NR floats) may be twice L1; the hardware prefetcher
        // streams it from L2, and a deeper KC halves the C tile traffic. 5x64 gave 227 GFLOPS
        // with KC = 256 against 212 with KC = 128 (JAVA-BUILD.md section 6). Capped at 256
        // while a 256-deep panel still fits L1 (the 6 x 16 tile on AVX2). A wider tile
        // overflows L1 at 256 already, so its panel comes from L2 whatever KC is: there KC
        // grows until the panel takes an eighth of L2, up to 512 (the 5 x 64 tile, one core,
        // against KC = 256: Intel 2 MiB L2 2048^3 167 -> 158 ms, 4096^3 1309 -> 1226 ms; Zen 4
        // 1 MiB L2 2048^3 -4% to -10%, 4096^3 -4% to -7%; docs/benchmarks.md).
        int kc = Math.clamp(roundDown((int) Math.min(1 << 16, caches.l1d() * 2 / (4L * nr)), 64), 128, 256);
        if (4L * 256 * nr > caches.l1d()) {
            kc = Math.clamp(roundDown((int) Math.min(1 << 16, caches.l2() / 8 / (4L * nr)), 64), kc, 512);
        }
        // MC: the packed A block fills half of L2, the rest holds B micro-panels and C lines.
        int mc = roundDown((int) Math.min(4096, caches.l2() / 2 / (4L * kc)), mr);
        mc = Math.max(mc, mr);
        // NC: the packed B panel takes a quarter of the shared L3.
        int nc = roundDown((int) Math.min(MAX_NC, caches.l3() / 4 / (4L * kc)), nr);
        nc = Math.max(nc, nr);
        int kcDirect = Math.clamp(roundDown((int) Math.min(1 << 16, caches.l2() / 2 / (4L * nr)), 64), kc, 2048);
        // Row-first bands: where the L3 is slow, a band of 4 strips lets each B micro-panel
        // serve 20 rows from L1 instead of coming from L3 again for every strip (Intel, one
        // core: 4096x64x11008 92 -> 62 ms); where it is fast, the band's 20 concurrent C row
        // streams cost more than they save (Zen 4, one core: 4096x16x4096 7.0 vs 8.8-9.9 ms,
        // 4096x64x11008 56 vs 65-67 ms with one strip against 4).
        int bandRows = caches.fastL3() ? mr : mr * Math.max(1, 20 / mr);
        return new Blocking(mr, nr, mc, kc, nc, kcDirect, bandRows);
    }

    /**
     * Columns of the packed B panel for blocks of the given depth: the KC x NC budget of L3
     * spent on a shallower panel is spent on its width instead, so a short product (k = 16..64)
     * packs B in one panel as wide as before KC grew to 512 (one core, Zen 4: 4096x64x11008
     * 56 ms at NC 8192 against 60 at 4096).
     */
    int ncFor(int depth) {
        if (depth >= kc) {
            return nc;
        }
        long wider = (long) nc * kc / Math.max(depth, 1);
        return (int) Math.min(MAX_NC, wider) / nr * nr;
    }

    private static int roundDown(int x, int multiple) {
        return Math.max(multiple, x / multiple * multiple);
    }
}
