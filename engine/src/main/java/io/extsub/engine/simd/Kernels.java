package io.extsub.engine.simd;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The vector kernels once per register-tile shape ("5x4", "6x2"), whatever this machine
     * selects, so tests cover the shape of the other register-file size too; empty without the
     * Vector API.
     */
    public static List<FloatKernels> vectorTileVariants() {
        if (!vectorAvailable()) {
            return List.of();
        }
        List<FloatKernels> out = new ArrayList<>();
        for (String shape : new String[] {"5x4", "6x2"}) {
            try {
                out.add((FloatKernels) Class.forName(VECTOR_IMPL).getDeclaredConstructor(String.class).newInstance(shape));
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("vector kernels with tile " + shape + ": " + e, e);
            }
        }
        return out;
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
