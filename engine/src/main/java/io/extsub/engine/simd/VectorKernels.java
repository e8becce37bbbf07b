package io.extsub.engine.simd;

import io.extsub.engine.ElementType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels at the machine's preferred width ({@code SPECIES_PREFERRED}: a fixed
 * 512-bit species runs ~100x slower on an AVX2-only CPU, JAVA-BUILD.md section 3). Loaded
 * reflectively by {@link Kernels}; this is the only class family that links to
 * {@code jdk.incubator.vector}. Tails use masks, so any length and offset works.
 */
public final class VectorKernels implements FloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Shorts and ints with the same lane count as S: one F16/BF16 load fills one float vector. */
    private static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    /** Doubles with half the float lane count (same bit size), for the float64 sums. */
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    /** Floats with the double lane count, the target of an F64 -> F32 narrowing. */
    private static final VectorSpecies<Float> SF_HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(SD.vectorBitSize() / 2));
    /** Rotations by L/2, L/4, .., 1 lanes: the folds of {@link #sumLanes(FloatVector)} (see {@link #folds}). */
    private static final VectorShuffle<Float>[] FOLDS = folds(S);
    private static final VectorShuffle<Double>[] FOLDS_D = folds(SD);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private final ScalarKernels scalar = new ScalarKernels();
    private final MicroKernel micro;

    public VectorKernels() {
        this(System.getProperty("extsub.microkernel", ""));
    }

    /** With the register tile {@code tileShape} ("5x4" or "6x2"); any other value: this machine's. */
    public VectorKernels(String tileShape) {
        micro = microKernelFor(System.getProperty("os.arch", ""), S.vectorBitSize(), tileShape);
        if (SI.length() != L || SH.length() != L) {
            throw new IllegalStateException("unexpected species shapes: " + S + " " + SI + " " + SH);
        }
    }

    /**
     * The tile shape that fits the vector register file: x86 below AVX-512 has 16 vector
     * registers (ymm0-15), where the 5 x 4 tile's 25 live vectors spill; AVX-512 and AArch64
     * (NEON, SVE) have 32. {@code forced} ("5x4" or "6x2", from -Dextsub.microkernel) overrides
     * the choice, so both shapes can be measured on one machine; anything else is ignored.
     */
    static MicroKernel microKernelFor(String osArch, int vectorBits, String forced) {
        boolean sixteenRegisters = switch (forced) {
            case "6x2" -> true;
            case "5x4" -> false;
            default -> (osArch.equals("amd64") || osArch.equals("x86_64") || osArch.equals("x86")) && vectorBits < 512;
        };
        return sixteenRegisters ? new VectorMicroKernel6x2() : new VectorMicroKernel5x4();
    }

    /** The rotations, or null when the lane count is not a power of two (SVE at 384 bits, say). */
    @SuppressWarnings("unchecked")
    private static <E> VectorShuffle<E>[] folds(VectorSpecies<E> species) {
        if (Integer.bitCount(species.length()) != 1) {
            return null;
        }
        int steps = Integer.numberOfTrailingZeros(species.length());
        VectorShuffle<E>[] out = new VectorShuffle[steps];
        for (int f = 0; f < steps; f++) {
            out[f] = species.iotaShuffle(species.length() >> (f + 1), 1, true);
        }
        return out;
    }

    /**
     * The sum of the lanes in one fixed order (pairwise folds). {@code reduceLanes(ADD)} leaves
     * the order to the implementation, and C2's differs from the interpreter's: the same dot
     * product changed in its last bit once the kernel was compiled, so a QR of the same matrix
     * gave different bits early and late in one process.
     */
    private static float sumLanes(FloatVector v) {
        if (FOLDS == null) {
            float s = 0f;
            for (int i = 0; i < L; i++) {
                s += v.lane(i);
            }
            return s;
        }
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    private static double sumLanes(DoubleVector v) {
        if (FOLDS_D == null) {
            double s = 0;
            for (int i = 0; i < SD.length(); i++) {
                s += v.lane(i);
            }
            return s;
        }
        for (VectorShuffle<Double> fold : FOLDS_D) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), s3);
        }
        for (; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            s0 = FloatVector.fromArray(S, a, aOff + i, m).fma(FloatVector.fromArray(S, b, bOff + i, m), s0);
        }
        return sumLanes(s0.add(s1).add(s2.add(s3)));
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i <= n - L; i += L) {
            av.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            av.fma(FloatVector.fromArray(S, x, xOff + i, m), FloatVector.fromArray(S, y, yOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void scale(float alpha, float[] x, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, off + i, m).mul(alpha).intoArray(x, off + i, m);
        }
    }

    @Override
    public double sumOfSquares(float[] x, int off, int n) {
        // Widen to float64 before squaring, as the scalar twin does: exact products, float64 sums.
        DoubleVector s0 = DoubleVector.zero(SD), s1 = s0;
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, SD, 0);
            DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, SD, 1);
            s0 = lo.fma(lo, s0);
            s1 = hi.fma(hi, s1);
        }
        double s = sumLanes(s0.add(s1));
        for (; i < n; i++) {
            double v = x[off + i];
            s = Math.fma(v, v, s);
        }
        return s;
    }

    @Override
    public float maxAbs(float[] x, int off, int n) {
        FloatVector mx = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            mx = mx.max(FloatVector.fromArray(S, x, off + i).abs()); // lanewise max propagates NaN like Math.max
        }
        float m = mx.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, Math.abs(x[off + i]));
        }
        return m;
    }

    @Override
    public void toFloat(MemorySegment src, long byteOffset, ElementType type, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, F32, byteOffset, dst, dstOff, n);
            // Float.float16ToFloat in a plain int-indexed loop is a C2 intrinsic that superword
            // vectorizes to vcvtph2ps, peeling until the float[] stores are aligned. Measured
            // 2026-11-25 (docs/benchmarks.md, "Kernel layer"): 0.16-0.18 us per 4 Ki elements, 3.4 us per
            // 64 Ki, against 0.37-0.48 / 8.7 us for a Vector API bit decoder (2^112 rescale +
            // inf/NaN patch); a 4x hand-unrolled loop is no faster (up to 1.4x slower) and a
            // long-indexed one is not vectorized at all (~10x). So the loop is the decoder.
            case F16 -> scalar.toFloat(src, byteOffset, type, dst, dstOff, n);
            case BF16 -> bf16ToFloat(src, byteOffset, dst, dstOff, n);
            case F64 -> f64ToFloat(src, byteOffset, dst, dstOff, n);
        }
    }

    /**
     * Half-width short load, widen (vpmovsxwd), shift, one 64-byte store per 16 elements: in L1
     * as fast as a copy of the 4-byte output. Measured 2026-11-25 (docs/benchmarks.md, "Kernel layer"):
     * unrolling by 4, one full-width load widened in two halves, zero extension, and a
     * two-source permute with zeros (vpermt2w) ran the same or up to 17% slower; a plain loop is
     * not vectorized by superword (~10x slower). The ~12% left against F16 in L2/L3 is store
     * alignment: superword peels to an aligned float[] address, the Vector API cannot (with a
     * 32-byte aligned destination both run at 3.43 us per 64 Ki elements).
     */
    private static void bf16ToFloat(MemorySegment src, long off, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SH, src, off + 2L * i, LE).convertShape(VectorOperators.S2I, SI, 0);
            h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Short> m = SH.indexInRange(i, n);
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SH, src, off + 2L * i, LE, m).convertShape(VectorOperators.S2I, SI, 0);
            h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOff + i, S.indexInRange(i, n));
        }
    }

    private static void f64ToFloat(MemorySegment src, long off, float[] dst, int dstOff, int n) {
        int ld = SD.length();
        int i = 0;
        for (; i <= n - ld; i += ld) {
            DoubleVector d = DoubleVector.fromMemorySegment(SD, src, off + 8L * i, LE);
            ((FloatVector) d.convertShape(VectorOperators.D2F, SF_HALF, 0)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = (float) src.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE), off + 8L * i);
        }
    }

    @Override
    public void fromFloat(float[] src, int srcOff, MemorySegment dst, long byteOffset, ElementType type, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOff, dst, F32, byteOffset, n);
            case BF16 -> toBf16(src, srcOff, dst, byteOffset, n);
            // Float.floatToFloat16 is a C2 intrinsic (vcvtps2ph); the scalar loop is the encoder.
            case F16, F64 -> scalar.fromFloat(src, srcOff, dst, byteOffset, type, n);
        }
    }

    private static void toBf16(float[] src, int srcOff, MemorySegment dst, long off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector f = FloatVector.fromArray(S, src, srcOff + i);
            IntVector bits = f.reinterpretAsInts();
            // round to nearest even on the 16 dropped bits; NaN keeps its payload top and turns quiet
            IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
            IntVector rounded = bits.add(0x7FFF).add(lsb).lanewise(VectorOperators.LSHR, 16);
            IntVector nan = bits.lanewise(VectorOperators.LSHR, 16).or(0x0040);
            IntVector out = rounded.blend(nan, f.test(VectorOperators.IS_NAN).cast(SI));
            ((ShortVector) out.convertShape(VectorOperators.I2S, SH, 0)).intoMemorySegment(dst, off + 2L * i, LE);
        }
        for (; i < n; i++) {
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE), off + 2L * i, HalfFloats.toBfloat16(src[srcOff + i]));
        }
    }

    @Override
    public MicroKernel microKernel() {
        return micro;
    }

    @Override
    public String name() {
        return "vector" + S.vectorBitSize();
    }
}
