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
    void zen4Tile5x64GoesToKc512WithOneStripBands() {
        // one core, against KC = 256: 2048^3 -4% to -10%, 4096^3 -4% to -7%; MC 255 and 510 alike.
        // Short products: one strip per sweep beat bands of 4 (4096x16x4096 7.0 vs 8.8-9.9 ms).
        Blocking b = Blocking.derive(5, 64, new Blocking.Caches(32 << 10, 1 << 20, 32 << 20, true));
        assertEquals(512, b.kc());
        assertEquals(255, b.mc());
        assertEquals(4096, b.nc());
        assertEquals(2048, b.kcDirect());
        assertEquals(5, b.bandRows());
    }

    @Test
    void shallowBlocksGetAWiderPanel() {
        // the row-first products keep the one 8192-wide panel they had at KC = 256
        // (4096x64x11008 on one Zen 4 core: 56 ms against 60 with NC = 4096)
        Blocking b = Blocking.derive(5, 64, new Blocking.Caches(32 << 10, 1 << 20, 32 << 20, true));
        assertEquals(4096, b.ncFor(512));
        assertEquals(4096, b.ncFor(2048));
        assertEquals(8192, b.ncFor(256));
        assertEquals(16384, b.ncFor(64));
        assertEquals(16384, b.ncFor(16));
    }

    @Test
    void intelLargeL2Tile5x64GoesToKc512WithBandsOf4Strips() {
        // the 5 x 64 panel overflows a 48 KiB L1 at KC = 256; with 2 MiB of L2, KC = 512 ran
        // 2048^3 5% and 4096^3 6% faster than 256 on one core; bands of 4 strips took
        // 4096x64x11008 from 92 to 62 ms (docs/benchmarks.md)
        Blocking b = Blocking.derive(5, 64, new Blocking.Caches(48 << 10, 2 << 20, 105 << 20, false));
        assertEquals(512, b.kc());
        assertEquals(510, b.mc());
        assertEquals(20, b.bandRows());
    }

    @Test
    void avx2Tile6x16StaysAtKc256() {
        // a 256 x 16 panel fits L1: the deeper rule does not apply (KC 384 was within noise there)
        Blocking b = Blocking.derive(6, 16, new Blocking.Caches(32 << 10, 512 << 10, 8 << 20, true));
        assertEquals(256, b.kc());
        assertEquals(252, b.mc());
        assertEquals(2048, b.nc());
        assertEquals(6, b.bandRows());
    }

    @Test
    void scalarTileKeepsKc256OnAnyL2() {
        Blocking b = Blocking.derive(4, 4, new Blocking.Caches(48 << 10, 2 << 20, 105 << 20, false));
        assertEquals(256, b.kc());
        assertEquals(20, b.bandRows());
    }
}
