package io.extsub.engine.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The blocksize rule on the cache sizes of the hosts docs/benchmarks.md measured: each result
 * is the setting measured best (or within noise of the best) on that host, so a change to the
 * rule that moves one of them has to be measured again there.
 */
class BlockingTest {

    @Test
    void zen5Tile5x64KeepsKc256() {
        // JAVA-BUILD.md section 6: (480, 256, 4096) best; KC = 128 slower
        Blocking b = Blocking.derive(5, 64, new Blocking.Caches(48 << 10, 1 << 20, 32 << 20));
        assertEquals(256, b.kc());
        assertEquals(510, b.mc());
        assertEquals(8192, b.nc());
        assertEquals(2048, b.kcDirect());
    }

    @Test
    void intelLargeL2Tile5x64GoesToKc512() {
        // the 5 x 64 panel overflows a 48 KiB L1 at KC = 256; with 2 MiB of L2, KC = 512 ran
        // 2048^3 5% and 4096^3 6% faster than 256 on one core (docs/benchmarks.md)
        Blocking b = Blocking.derive(5, 64, new Blocking.Caches(48 << 10, 2 << 20, 105 << 20));
        assertEquals(512, b.kc());
        assertEquals(510, b.mc());
    }

    @Test
    void avx2Tile6x16StaysAtKc256() {
        // a 256 x 16 panel fits L1: the deeper rule does not apply (KC 384 was within noise there)
        Blocking b = Blocking.derive(6, 16, new Blocking.Caches(32 << 10, 512 << 10, 8 << 20));
        assertEquals(256, b.kc());
        assertEquals(252, b.mc());
        assertEquals(2048, b.nc());
    }

    @Test
    void scalarTileKeepsKc256OnAnyL2() {
        Blocking b = Blocking.derive(4, 4, new Blocking.Caches(48 << 10, 2 << 20, 105 << 20));
        assertEquals(256, b.kc());
    }
}
