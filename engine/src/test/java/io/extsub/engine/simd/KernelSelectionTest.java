package io.extsub.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Proves which path each surefire execution ran: extsub.expectKernel is set per execution. */
class KernelSelectionTest {

    @Test
    @EnabledIfSystemProperty(named = "extsub.expectKernel", matches = "vector|scalar")
    void selectedKernelMatchesTheExecution() {
        String expected = System.getProperty("extsub.expectKernel");
        String name = Kernels.get().name();
        assertTrue(name.startsWith(expected), () -> "expected " + expected + " kernels, got " + name);
        assertEquals("vector".equals(expected), Kernels.vectorAvailable());
        String micro = Kernels.get().microKernel().getClass().getSimpleName();
        if (expected.equals("vector")) {
            // the shape follows the register file of this very machine
            int bits = Integer.parseInt(name.substring("vector".length()));
            String arch = System.getProperty("os.arch");
            boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
            assertEquals(x86 && bits < 512 ? "VectorMicroKernel6x2" : "VectorMicroKernel5x4", micro);
        } else {
            assertEquals("ScalarMicroKernel", micro);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "extsub.expectKernel", matches = "vector")
    void tileShapeFollowsTheRegisterFile() {
        assertEquals(VectorMicroKernel6x2.class, VectorKernels.microKernelFor("amd64", 256, "").getClass());
        assertEquals(VectorMicroKernel6x2.class, VectorKernels.microKernelFor("x86_64", 128, "").getClass());
        assertEquals(VectorMicroKernel5x4.class, VectorKernels.microKernelFor("amd64", 512, "").getClass());
        assertEquals(VectorMicroKernel5x4.class, VectorKernels.microKernelFor("aarch64", 128, "").getClass());
        assertEquals(VectorMicroKernel5x4.class, VectorKernels.microKernelFor("amd64", 256, "5x4").getClass());
        assertEquals(VectorMicroKernel6x2.class, VectorKernels.microKernelFor("aarch64", 512, "6x2").getClass());
        assertEquals(VectorMicroKernel6x2.class, VectorKernels.microKernelFor("amd64", 256, "7x3").getClass());
    }

    @Test
    void scalarTwinIsAlwaysScalar() {
        assertEquals("scalar", Kernels.scalar().name());
    }
}
