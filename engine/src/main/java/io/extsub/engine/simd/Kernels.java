package io.extsub.engine.simd;

import java.lang.System.Logger.Level;

/**
 * Chooses the kernel implementation once per JVM. The Vector API implementation is
 * used when {@code jdk.incubator.vector} is in the boot layer and not disabled with
 * {@code -Dextsub.simd=scalar}; otherwise the scalar one, so restricted JVMs and plain
 * {@code java -jar} still run everything.
 */
public final class Kernels {
    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
    private static final String VECTOR_IMPL = "io.extsub.engine.simd.VectorKernels";
    private static final FloatKernels SELECTED = select();
    private static final FloatKernels SCALAR = new ScalarKernels();

    private Kernels() {}

    /** The kernels this JVM uses. */
    public static FloatKernels get() {
        return SELECTED;
    }

    /** The plain-Java twin, for tests and for callers that need bit-reproducible results. */
    public static FloatKernels scalar() {
        return SCALAR;
    }

    /** True when the Vector API module is in the boot layer and not disabled. */
    public static boolean vectorAvailable() {
        return !"scalar".equals(System.getProperty("extsub.simd"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static FloatKernels select() {
        if (!vectorAvailable()) {
            return new ScalarKernels();
        }
        try {
            // Loaded reflectively: only that class links against jdk.incubator.vector.
            return (FloatKernels) Class.forName(VECTOR_IMPL).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.DEBUG, "vector kernels unavailable, using scalar: {0}", e.toString());
            return new ScalarKernels();
        }
    }
}
