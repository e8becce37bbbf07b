package io.extsub.safetensors.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.extsub.safetensors.TensorFormatException;
import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutation fuzzing of the golden .bin files (plus one archive with shared and
 * non-contiguous storages): every mutant is either read into consistent tensors or refused
 * with a TensorFormatException; no other exception, no hang. 10 batches of 500 mutants per
 * surefire execution; the two executions use different seeds, so a CI run tries 10,000.
 * A failure names the batch seed and mutant index: rerun that batch to replay it.
 */
class TorchBinFuzzTest {
    /** -Dextsub.torchFuzzBatches=N runs N batches (for long local runs); CI uses 10. */
    private static final int BATCHES = Integer.getInteger("extsub.torchFuzzBatches", 10);
    private static final int MUTANTS_PER_BATCH = 500;
    private static final byte[] INTERESTING = {0, 1, 2, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xfe, 0x40};

    private record Base(String name, byte[] bytes, long pickleStart, long pickleEnd, long cdStart) {
    }

    private static List<Base> bases;
    private static final java.util.Map<String, Integer> STATS = new java.util.concurrent.ConcurrentSkipListMap<>();

    @BeforeAll
    static void loadBases() throws IOException {
        List<Base> list = new ArrayList<>();
        for (Path p : TorchBinGoldenTest.binFiles()) {
            list.add(base(TorchBinGoldenTest.golden().relativize(p).toString(), Files.readAllBytes(p)));
        }
        StateDictWriter w = new StateDictWriter().storage("0", "FloatStorage", 4, new byte[4 * 24]);
        w.tensor("rows", "0", 4, new long[] {2, 4}, new long[] {4, 1});
        w.tensor("transposed", "0", 0, new long[] {4, 6}, new long[] {1, 4});
        w.contiguous("half", "HalfStorage", 2, new long[] {3, 3}, new byte[18]);
        w.withMetadataBuild = true;
        list.add(base("built", w.build()));
        bases = List.copyOf(list);
    }

    private static Base base(String name, byte[] bytes) throws TensorFormatException {
        ZipBytes zip = new ZipBytes(Path.of(name), MemorySegment.ofArray(bytes));
        List<ZipEntry> entries = StoredZipReader.read(zip);
        ZipEntry pkl = entries.stream().filter(e -> e.name().endsWith("/data.pkl")).findFirst().orElseThrow();
        long cd = entries.stream().mapToLong(ZipEntry::dataEnd).max().orElseThrow();
        return new Base(name, bytes, pkl.dataOffset(), pkl.dataEnd(), cd);
    }

    static Stream<Arguments> batches() {
        // The scalar execution (extsub.scalarRun) gets different seeds than the vector one.
        long run = Boolean.getBoolean("extsub.scalarRun") ? 0x9E37_79B9_7F4A_7C15L : 0;
        return IntStream.range(0, BATCHES).mapToObj(i -> Arguments.of(0x70C4_B1F0_0000L + i ^ run));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("batches")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutantsAreReadConsistentlyOrRefused(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int accepted = 0;
        for (int i = 0; i < MUTANTS_PER_BATCH; i++) {
            Base base = bases.get(rnd.nextInt(bases.size()));
            byte[] mutant = mutate(base, rnd);
            try (TorchBinFile f = TorchTestFiles.read(mutant)) {
                checkConsistent(f);
                accepted++;
            } catch (TensorFormatException expected) {
                if (Boolean.getBoolean("extsub.torchFuzzStats")) {
                    STATS.merge(expected.problem().replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "Q"), 1, Integer::sum);
                }
                assertTrue(expected.getMessage().startsWith(TorchTestFiles.NAME + ": "), expected.getMessage());
            } catch (Throwable t) {
                fail("seed " + seed + " mutant " + i + " of " + base.name() + ": " + t, t);
            }
        }
        // Both outcomes must occur, or the mutations are too weak or too destructive to test anything.
        assertTrue(accepted > 0 && accepted < MUTANTS_PER_BATCH, "accepted " + accepted);
        if (Boolean.getBoolean("extsub.torchFuzzStats")) {
            System.out.println("seed " + seed + ": accepted " + accepted + " of " + MUTANTS_PER_BATCH + " " + STATS);
        }
    }

    private static void checkConsistent(TorchBinFile f) {
        for (TensorView v : f.tensors()) {
            long expected = v.dtype().byteSize(v.elementCount());
            assertEquals(expected, v.data().byteSize(), v.name());
            if (expected > 0) {
                v.data().get(ValueLayout.JAVA_BYTE, 0);
                v.data().get(ValueLayout.JAVA_BYTE, expected - 1);
            }
        }
    }

    private static byte[] mutate(Base base, SplittableRandom rnd) {
        byte[] b = base.bytes().clone();
        int n = b.length;
        switch (rnd.nextInt(8)) {
            case 0 -> { // flip a few bits anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int at = rnd.nextInt(n);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // interesting bytes anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(n)] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                }
            }
            case 2, 3 -> { // the pickle: random opcodes and argument bytes
                int start = (int) base.pickleStart();
                int len = (int) (base.pickleEnd() - base.pickleStart());
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    int at = start + rnd.nextInt(len);
                    b[at] = rnd.nextBoolean() ? (byte) PickleOpcode.values()[rnd.nextInt(PickleOpcode.values().length)].code
                            : (byte) rnd.nextInt(256);
                }
            }
            case 4 -> { // a 2- or 4-byte field in the zip directory or end records
                int from = (int) base.cdStart();
                int at = from + rnd.nextInt(n - from);
                long[] values = {0, 0xFFFF, 0xFFFF_FFFFL, n, n + 1L, n - 1L, rnd.nextInt(n), rnd.nextLong()};
                long v = values[rnd.nextInt(values.length)];
                int width = rnd.nextBoolean() ? 2 : 4;
                for (int i = 0; i < width && at + i < n; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
            }
            case 5 -> b = Arrays.copyOf(b, rnd.nextInt(n)); // truncate
            case 6 -> { // insert or delete a few bytes
                int at = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(16);
                if (rnd.nextBoolean()) {
                    byte[] out = new byte[n + len];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int i = 0; i < len; i++) {
                        out[at + i] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(b, at, out, at + len, n - at);
                    b = out;
                } else {
                    len = Math.min(len, n - at);
                    byte[] out = new byte[n - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, n - at - len);
                    b = out;
                }
            }
            default -> { // copy one chunk over another (duplicated headers, shifted records)
                int len = 1 + rnd.nextInt(64);
                int from = rnd.nextInt(n);
                int to = rnd.nextInt(n);
                len = Math.min(len, Math.min(n - from, n - to));
                System.arraycopy(base.bytes(), from, b, to, len);
            }
        }
        return b;
    }

    /**
     * Random opcode streams of the accepted set with well-formed arguments (so they get past the
     * scanner and exercise the unpickler itself), around the storages of a built archive.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("batches")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void randomPicklesAreBuiltOrRefused(long seed) {
        SplittableRandom rnd = new SplittableRandom(~seed);
        PickleOpcode[] accepted = Arrays.stream(PickleOpcode.values()).filter(op -> op.accepted)
                .toArray(PickleOpcode[]::new);
        String[][] globals = {{"collections", "OrderedDict"}, {"torch._utils", "_rebuild_tensor_v2"},
                {"torch._utils", "_rebuild_parameter"}, {"torch", "FloatStorage"}, {"torch", "HalfStorage"}};
        for (int i = 0; i < 200; i++) {
            PickleBuilder p = new PickleBuilder().proto(2);
            int ops = 1 + rnd.nextInt(120);
            for (int k = 0; k < ops; k++) {
                PickleOpcode op = accepted[rnd.nextInt(accepted.length)];
                switch (op) {
                    case PROTO, STOP -> p.op('N');
                    case GLOBAL -> {
                        String[] g = globals[rnd.nextInt(globals.length)];
                        p.global(g[0], g[1]);
                    }
                    case BINUNICODE -> p.str(rnd.nextInt(4) == 0 ? "storage" : Integer.toString(rnd.nextInt(3)));
                    case SHORT_BINSTRING -> p.op('U').op(3).raw("cpu".getBytes());
                    case BININT, BININT1, BININT2, LONG1 -> p.integer(rnd.nextInt(5) == 0 ? rnd.nextLong() : rnd.nextInt(70));
                    case BINFLOAT -> p.op('G').raw(new byte[8]);
                    case BINGET, BINPUT -> p.op(op.code).op(rnd.nextInt(4));
                    case LONG_BINGET, LONG_BINPUT -> p.op(op.code).raw(new byte[] {(byte) rnd.nextInt(4), 0, 0, 0});
                    default -> p.op(op.code);
                }
            }
            byte[] archive = new StateDictWriter().storage("0", "FloatStorage", 4, new byte[64])
                    .storage("1", "HalfStorage", 2, new byte[64]).build(p.stop().bytes());
            try (TorchBinFile f = TorchTestFiles.read(archive)) {
                checkConsistent(f);
            } catch (TensorFormatException expected) {
                // refused: fine
            } catch (Throwable t) {
                fail("seed " + seed + " pickle " + i + ": " + t, t);
            }
        }
    }
}
