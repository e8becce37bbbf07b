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
        assertEquals(expected.equals("vector") ? "VectorMicroKernel" : "ScalarMicroKernel",
                Kernels.get().microKernel().getClass().getSimpleName());
    }

    @Test
    void scalarTwinIsAlwaysScalar() {
        assertEquals("scalar", Kernels.scalar().name());
    }
}
