package io.extsub.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.extsub.engine.ElementType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The selected kernels (vector in the default execution, scalar in test-scalar) against the
 * scalar twin and against float64 / bit-level references, for every length 0 .. 3 vectors + 3
 * and unaligned offsets. The seed is in each display name.
 */
class VectorKernelsTest {
    private static final FloatKernels K = Kernels.get();
    private static final FloatKernels S = Kernels.scalar();
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, 65504f, 65520f, 6e-8f, 1f, -1f};

    static int lanes() {
        String name = K.name();
        return name.startsWith("vector") ? Integer.parseInt(name.substring(6)) / 32 : 16;
    }

    static Stream<Arguments> cases() {
        int max = 3 * lanes() + 3;
        return IntStream.rangeClosed(0, max).boxed()
                .flatMap(n -> IntStream.of(0, 1, 3).mapToObj(off -> Arguments.of(n, off, 1000L + n * 7L + off)));
    }

    static float[] random(SplittableRandom r, int n, boolean specials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = specials && r.nextInt(6) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : (float) (r.nextDouble(-4, 4));
        }
        return x;
    }

    @ParameterizedTest(name = "n={0} off={1} seed={2}")
    @MethodSource("cases")
    void level1MatchesScalarTwinAndFloat64(int n, int off, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = random(r, n + off, false), b = random(r, n + off, false);
        double ref = 0, abs = 0;
        for (int i = 0; i < n; i++) {
            ref += (double) a[off + i] * b[off + i];
            abs += Math.abs((double) a[off + i] * b[off + i]);
        }
        double tol = (n + 2) * 0x1p-23 * abs + 1e-30;
        assertEquals(ref, K.dot(a, off, b, off, n), tol, "dot");
        assertEquals(S.dot(a, off, b, off, n), K.dot(a, off, b, off, n), 2 * tol, "dot vs scalar");

        float[] y1 = b.clone(), y2 = b.clone();
        K.axpy(0.75f, a, off, y1, off, n);
        S.axpy(0.75f, a, off, y2, off, n);
        for (int i = 0; i < n + off; i++) {
            float want = i < off ? b[i] : (float) (0.75 * a[i] + b[i]);
            assertEquals(want, y1[i], Math.ulp(want) + 1e-6f, "axpy " + i);
            assertEquals(y2[i], y1[i], 0f, "axpy bit-equal to scalar (both single fma) " + i);
        }

        float[] s1 = a.clone();
        K.scale(-1.5f, s1, off, n);
        for (int i = 0; i < n + off; i++) {
            assertEquals(i < off ? a[i] : a[i] * -1.5f, s1[i], 0f, "scale " + i);
        }

        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) a[off + i] * a[off + i];
        assertEquals(ss, K.sumOfSquares(a, off, n), 1e-12 * ss + 1e-300, "sumOfSquares");

        float mx = 0;
        for (int i = 0; i < n; i++) mx = Math.max(mx, Math.abs(a[off + i]));
        assertEquals(mx, K.maxAbs(a, off, n), 0f, "maxAbs");
    }

    @ParameterizedTest(name = "n={0} off={1} seed={2}")
    @MethodSource("cases")
    void maxAbsPropagatesNaNAndIgnoresSign(int n, int off, long seed) {
        if (n == 0) {
            assertEquals(0f, K.maxAbs(new float[off], off, 0));
            return;
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = random(r, n + off, false);
        a[off + r.nextInt(n)] = -1000f;
        assertEquals(1000f, K.maxAbs(a, off, n), 0f);
        a[off + r.nextInt(n)] = Float.NaN;
        assertTrue(Float.isNaN(K.maxAbs(a, off, n)));
    }

    @ParameterizedTest(name = "n={0} off={1} seed={2}")
    @MethodSource("cases")
    void decodeEveryTypeFromUnalignedSegments(int n, int off, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * n + off + 8, 1);
            float[] got = new float[n + 2], want = new float[n + 2];
            // F16 / BF16: random bit patterns, so subnormals, infinities and NaN payloads all occur
            for (ElementType t : new ElementType[] {ElementType.F16, ElementType.BF16}) {
                short[] h = new short[n];
                for (int i = 0; i < n; i++) {
                    h[i] = (short) r.nextInt(1 << 16);
                    seg.set(I16, off + 2L * i, h[i]);
                }
                K.toFloat(seg, off, t, got, 1, n);
                for (int i = 0; i < n; i++) {
                    float ref = t == ElementType.F16 ? Float.float16ToFloat(h[i]) : Float.intBitsToFloat(h[i] << 16);
                    assertEquals(Float.floatToRawIntBits(ref), Float.floatToRawIntBits(got[1 + i]), t + " element " + i);
                }
            }
            float[] f = random(r, n, true);
            for (int i = 0; i < n; i++) seg.set(F32, off + 4L * i, f[i]);
            K.toFloat(seg, off, ElementType.F32, got, 1, n);
            for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(got[1 + i]), "F32 " + i);
            for (int i = 0; i < n; i++) seg.set(F64, off + 8L * i, f[i] * 1.0000001);
            K.toFloat(seg, off, ElementType.F64, got, 1, n);
            S.toFloat(seg, off, ElementType.F64, want, 1, n);
            for (int i = 0; i < n; i++) assertEquals(want[1 + i], got[1 + i], 0f, "F64 " + i);
        }
    }

    /**
     * Runs longer than a superword main loop, decoded often enough (6000 calls) that C2 compiles
     * the decoders (checked with -XX:+PrintCompilation: level 4 after ~3000 calls): the short
     * cases above mostly run interpreted or in C1, where neither the vectorized
     * {@code vcvtph2ps} loop nor the intrinsified Vector API code exists. Odd source offset,
     * odd destination offset, odd length, so alignment peels, masked tails and post-loops run.
     */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {7L, 8L})
    void compiledDecodersStayBitExactOnLongRuns(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1027, off = 3, rounds = 6000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * n + off, 1);
            short[] h = new short[n];
            for (int i = 0; i < n; i++) {
                h[i] = (short) r.nextInt(1 << 16);
                seg.set(I16, off + 2L * i, h[i]);
            }
            float[] got = new float[n + 6];
            for (int round = 0; round < rounds; round++) {
                for (ElementType t : new ElementType[] {ElementType.F16, ElementType.BF16}) {
                    got[4] = 42f;
                    got[n + 5] = 43f;
                    K.toFloat(seg, off, t, got, 5, n);
                    assertEquals(42f, got[4], 0f, "wrote before dstOff");
                    assertEquals(43f, got[n + 5], 0f, "wrote past dstOff + n");
                    for (int i = 0; i < n; i++) {
                        float ref = t == ElementType.F16 ? Float.float16ToFloat(h[i]) : Float.intBitsToFloat(h[i] << 16);
                        int want = Float.floatToRawIntBits(ref), have = Float.floatToRawIntBits(got[5 + i]);
                        if (want != have) {
                            assertEquals(want, have, t + " element " + i + " round " + round);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0} off={1} seed={2}")
    @MethodSource("cases")
    void encodeRoundsToNearestEven(int n, int off, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = random(r, n + 1, true);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * n + off + 8, 1);
            K.fromFloat(f, 1, seg, off, ElementType.BF16, n);
            for (int i = 0; i < n; i++) {
                assertEquals(referenceBf16(f[1 + i]), seg.get(I16, off + 2L * i), "BF16 of " + f[1 + i]);
            }
            K.fromFloat(f, 1, seg, off, ElementType.F16, n);
            for (int i = 0; i < n; i++) {
                float back = Float.float16ToFloat(seg.get(I16, off + 2L * i));
                assertNearestF16(f[1 + i], back);
            }
            K.fromFloat(f, 1, seg, off, ElementType.F32, n);
            for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(f[1 + i]), Float.floatToRawIntBits(seg.get(F32, off + 4L * i)));
        }
    }

    /** Independent bf16 rounding: pick the nearer of the two neighbours in float64, ties to the even one. */
    static short referenceBf16(float x) {
        if (Float.isNaN(x)) {
            return (short) ((Float.floatToRawIntBits(x) >>> 16) | 0x40);
        }
        int bits = Float.floatToRawIntBits(x);
        int lo = bits & 0xFFFF0000, hi = lo + 0x10000;
        double dl = Math.abs((double) Float.intBitsToFloat(lo) - x);
        float hv = Float.intBitsToFloat(hi);
        double dh = Float.isNaN(hv) ? Double.POSITIVE_INFINITY : Math.abs((double) hv - x);
        if (Float.isInfinite(hv) && !Float.isInfinite(x)) {
            // overflow past the largest bf16: infinity wins exactly when the value rounds up
            dh = Math.abs(0x1.0p128 * Math.signum(x) - x);
        }
        int pick = dl < dh ? lo : dh < dl ? hi : (((lo >>> 16) & 1) == 0 ? lo : hi);
        return (short) (pick >>> 16);
    }

    static void assertNearestF16(float x, float back) {
        if (Float.isNaN(x)) {
            assertTrue(Float.isNaN(back));
            return;
        }
        if (Math.abs(x) >= 65520f) {
            assertEquals(Math.copySign(Float.POSITIVE_INFINITY, x), back, 0f);
            return;
        }
        // neighbours of x on the f16 grid (spacing 2^-24 below 2^-14, else 2^(e-10))
        double ulp = Math.abs(x) < 0x1p-14 ? 0x1p-24 : Math.ulp(x) * 0x1p13;
        assertTrue(Math.abs((double) back - x) <= ulp / 2, () -> "F16 of " + x + " gave " + back);
        assertEquals(Math.copySign(1f, x), Math.copySign(1f, back), 0f, "sign of " + x);
    }
}
