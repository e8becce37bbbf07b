package io.extsub.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.extsub.engine.ElementType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HalfFloats} against independent references (F16 from its sign, exponent and fraction
 * fields; BF16 rounding from {@link VectorKernelsTest#referenceBf16}) and bit for bit against
 * the segment kernels of {@link ScalarKernels}, which it replaces in the CLI's tensor decoding.
 */
class HalfFloatsTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final FloatKernels SCALAR = Kernels.scalar();

    @Test
    void decodesEveryPattern() {
        short[] bits = new short[1 << 16];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (short) i;
        }
        float[] f16 = new float[bits.length + 2], bf16 = new float[bits.length + 2];
        HalfFloats.toFloat(bits, 0, ElementType.F16, f16, 1, bits.length);
        HalfFloats.toFloat(bits, 0, ElementType.BF16, bf16, 1, bits.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * bits.length + 1, 1);
            MemorySegment.copy(bits, 0, seg, I16, 1, bits.length);
            float[] twin = new float[bits.length];
            for (ElementType t : new ElementType[] {ElementType.F16, ElementType.BF16}) {
                SCALAR.toFloat(seg, 1, t, twin, 0, bits.length);
                float[] got = t == ElementType.F16 ? f16 : bf16;
                for (int i = 0; i < bits.length; i++) {
                    if (Float.floatToRawIntBits(twin[i]) != Float.floatToRawIntBits(got[1 + i])) {
                        assertEquals(Float.floatToRawIntBits(twin[i]), Float.floatToRawIntBits(got[1 + i]), t + " pattern " + i);
                    }
                }
            }
        }
        for (int i = 0; i < bits.length; i++) {
            double want = f16Value(i);
            if (Double.isNaN(want) ? !Float.isNaN(f16[1 + i]) : Double.compare(want, f16[1 + i]) != 0) {
                assertEquals(want, f16[1 + i], "F16 pattern " + Integer.toHexString(i));
            }
            // BF16 is the upper half of an F32, so its value is that F32's (bits below are zero)
            if (Float.floatToRawIntBits(bf16[1 + i]) != i << 16) {
                assertEquals(i << 16, Float.floatToRawIntBits(bf16[1 + i]), "BF16 pattern " + Integer.toHexString(i));
            }
        }
        assertEquals(0f, f16[0], "wrote before dstOff");
        assertEquals(0f, f16[bits.length + 1], "wrote past n");
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {71, 72, 73})
    void encodesToNearestAndEqualsTheSegmentKernel(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 5000;
        float[] f = VectorKernelsTest.random(r, n + 3, true);
        for (int i = 0; i < n / 4; i++) {
            // values at and around the rounding ties of both formats
            f[3 + 4 * i] = Float.intBitsToFloat((r.nextInt() & 0xFFFF0000) | (r.nextBoolean() ? 0x8000 : 0x7FFF));
        }
        short[] bf16 = new short[n + 2], f16 = new short[n + 2];
        HalfFloats.fromFloat(f, 3, ElementType.BF16, bf16, 1, n);
        HalfFloats.fromFloat(f, 3, ElementType.F16, f16, 1, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * n, 1);
            SCALAR.fromFloat(f, 3, seg, 0, ElementType.BF16, n);
            for (int i = 0; i < n; i++) {
                assertEquals(VectorKernelsTest.referenceBf16(f[3 + i]), bf16[1 + i], "BF16 of " + f[3 + i]);
                assertEquals(seg.get(I16, 2L * i), bf16[1 + i], "BF16 twin of " + f[3 + i]);
            }
            SCALAR.fromFloat(f, 3, seg, 0, ElementType.F16, n);
            for (int i = 0; i < n; i++) {
                VectorKernelsTest.assertNearestF16(f[3 + i], Float.float16ToFloat(f16[1 + i]));
                assertEquals(seg.get(I16, 2L * i), f16[1 + i], "F16 twin of " + f[3 + i]);
            }
        }
        assertEquals(0, bf16[0], "wrote before dstOff");
        assertEquals(0, f16[n + 1], "wrote past n");
    }

    @Test
    void refusesOtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> HalfFloats.toFloat(new short[1], 0, ElementType.F32, new float[1], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> HalfFloats.fromFloat(new float[1], 0, ElementType.F64, new short[1], 0, 1));
    }

    /** IEEE 754 binary16 from its fields: (-1)^s 2^(e-15) (1 + m/1024), subnormals 2^-14 m/1024. */
    private static double f16Value(int bits) {
        int sign = (bits >>> 15) & 1, exp = (bits >>> 10) & 0x1F, man = bits & 0x3FF;
        double v;
        if (exp == 0x1F) {
            v = man == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exp == 0) {
            v = Math.scalb((double) man, -24);
        } else {
            v = Math.scalb(1024.0 + man, exp - 25);
        }
        return sign == 1 ? -v : v;
    }
}
