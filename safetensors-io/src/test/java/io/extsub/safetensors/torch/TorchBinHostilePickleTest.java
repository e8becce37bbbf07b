package io.extsub.safetensors.torch;

import static io.extsub.safetensors.torch.TorchTestFiles.NAME;
import static io.extsub.safetensors.torch.TorchTestFiles.refused;
import static io.extsub.safetensors.torch.TorchTestFiles.refusedWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.extsub.safetensors.TensorFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pickles an attacker would write. A Java reader cannot run Python, but it must not be talked
 * into building anything: each is refused with a TensorFormatException, and a foreign global
 * is reported before any other problem of the pickle (so nothing was built before the check).
 */
class TorchBinHostilePickleTest {

    static Stream<Arguments> foreignGlobals() {
        return Stream.of(Arguments.of("os", "system"), Arguments.of("builtins", "eval"),
                Arguments.of("posix", "system"), Arguments.of("subprocess", "Popen"),
                Arguments.of("torch", "load"), Arguments.of("collections", "OrderedDictX"),
                Arguments.of("torch._utils", "_rebuild_tensor"));
    }

    private static String expected(String module, String name) {
        return NAME + ": refusing to load: it references the Python global " + module + "." + name
                + ", which a tensor state dict never needs";
    }

    private static String message(byte[] archive) {
        return assertThrows(TensorFormatException.class, () -> TorchTestFiles.read(archive).close()).getMessage();
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("foreignGlobals")
    void foreignGlobalIsRefusedWithTheExactMessage(String module, String name) {
        // the classic payload: GLOBAL, then a MARKed argument tuple, then REDUCE
        byte[] pickle = new PickleBuilder().proto(2).global(module, name).mark().str("touch /tmp/pwned").tuple()
                .reduce().stop().bytes();
        assertEquals(expected(module, name), message(StateDictWriter.archiveWith(pickle)));
    }

    @ParameterizedTest(name = "{0}.{1} after broken opcodes")
    @MethodSource("foreignGlobals")
    void foreignGlobalIsReportedBeforeAnythingElseHappens(String module, String name) {
        // REDUCE on an empty stack first: executing anything would fail with a stack underflow;
        // the refusal shows the whole pickle was checked before the first opcode ran.
        byte[] pickle = new PickleBuilder().proto(2).reduce().op('S').raw("'x'\n".getBytes(StandardCharsets.US_ASCII))
                .global(module, name).emptyTuple().reduce().stop().bytes();
        assertEquals(expected(module, name), message(StateDictWriter.archiveWith(pickle)));
    }

    @Test
    void openRefusesAFileOnDiskWithItsPathInTheMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("adapter_model.bin");
        byte[] pickle = new PickleBuilder().proto(2).global("os", "system").str("rm -rf ~").op(0x85).reduce()
                .stop().bytes();
        Files.write(file, StateDictWriter.archiveWith(pickle));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TorchBinFile.open(file));
        assertEquals(file + ": refusing to load: it references the Python global os.system, "
                + "which a tensor state dict never needs", e.getMessage());
    }

    @Test
    void globalsOfOtherProtocolsAreFoundToo() {
        // protocol 0 as pickle.dumps(..., 0) writes it: cos\nsystem\n(S'ls'\ntR.
        byte[] p0 = "cos\nsystem\n(S'ls'\ntR.".getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected("os", "system"), message(StateDictWriter.archiveWith(p0)));
        // protocol 4: SHORT_BINUNICODE 'posix', MEMOIZE, SHORT_BINUNICODE 'system', MEMOIZE, STACK_GLOBAL
        byte[] p4 = new PickleBuilder().proto(4).op(0x95).raw(new byte[8])
                .op(0x8c).op(5).raw("posix".getBytes(StandardCharsets.US_ASCII)).op(0x94)
                .op(0x8c).op(6).raw("system".getBytes(StandardCharsets.US_ASCII)).op(0x94)
                .op(0x93).op(0x8c).op(2).raw("ls".getBytes(StandardCharsets.US_ASCII)).op(0x85).reduce().stop().bytes();
        assertEquals(expected("posix", "system"), message(StateDictWriter.archiveWith(p4)));
        // INST names a class directly
        byte[] inst = "(S'ls'\nibuiltins\neval\n.".getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected("builtins", "eval"), message(StateDictWriter.archiveWith(inst)));
        // the copyreg extension registry
        byte[] ext = new PickleBuilder().proto(2).op(0x82).op(1).emptyTuple().reduce().stop().bytes();
        refusedWith(StateDictWriter.archiveWith(ext), "copyreg extension registry");
    }

    @Test
    void reduceOfANonAllowedCallableIsRefused() {
        byte[] storageCall = new PickleBuilder().proto(2).global("torch", "FloatStorage").integer(4).op(0x85)
                .reduce().stop().bytes();
        refusedWith(StateDictWriter.archiveWith(storageCall), "REDUCE calls torch.FloatStorage");
        byte[] stringCall = new PickleBuilder().proto(2).str("os.system").emptyTuple().reduce().stop().bytes();
        refusedWith(StateDictWriter.archiveWith(stringCall), "REDUCE calls a str");
        byte[] dictArgs = new PickleBuilder().proto(2).global("collections", "OrderedDict").mark().str("a").tuple()
                .reduce().stop().bytes();
        refusedWith(StateDictWriter.archiveWith(dictArgs), "OrderedDict called with 1 arguments");
        byte[] newobj = new PickleBuilder().proto(2).global("torch._utils", "_rebuild_tensor_v2").emptyTuple()
                .op(0x81).stop().bytes();
        refusedWith(StateDictWriter.archiveWith(newobj), "NEWOBJ of torch._utils._rebuild_tensor_v2");
        byte[] build = new PickleBuilder().proto(2).op(']').emptyDict().op('b').stop().bytes();
        refusedWith(StateDictWriter.archiveWith(build), "BUILD of a list");
    }

    @Test
    void persistentIdsOtherThanStoragesAreRefused() {
        byte[] notStorage = new PickleBuilder().proto(2).mark().str("module").global("torch", "FloatStorage")
                .str("0").str("cpu").integer(4).tuple().op('Q').stop().bytes();
        refusedWith(StateDictWriter.archiveWith(notStorage), "persistent id that is not ('storage'");
        byte[] missing = new PickleBuilder().proto(2).mark().str("storage").global("torch", "FloatStorage")
                .str("7").str("cpu").integer(4).tuple().op('Q').stop().bytes();
        refusedWith(StateDictWriter.archiveWith(missing), "no record data/7");
        byte[] path = new PickleBuilder().proto(2).mark().str("storage").global("torch", "FloatStorage")
                .str("../../etc/passwd").str("cpu").integer(4).tuple().op('Q').stop().bytes();
        refusedWith(StateDictWriter.archiveWith(path), "invalid key");
    }

    @Test
    void deepNestingIsRefused() {
        PickleBuilder marks = new PickleBuilder().proto(2);
        for (int i = 0; i < 10_000; i++) {
            marks.mark();
        }
        refusedWith(StateDictWriter.archiveWith(marks.stop().bytes()), "nested MARKs");
        PickleBuilder tuples = new PickleBuilder().proto(2).integer(1);
        for (int i = 0; i < 10_000; i++) {
            tuples.op(0x85); // TUPLE1: ((((1,),),),...)
        }
        refusedWith(StateDictWriter.archiveWith(tuples.stop().bytes()), "nested more than 64 deep");
        PickleBuilder lists = new PickleBuilder().proto(2).op(']').binput(0);
        for (int i = 0; i < 200; i++) {
            lists.op(']').binput(1).binget(0).op('a').op('0'); // POP is not allowed either
        }
        refusedWith(StateDictWriter.archiveWith(lists.stop().bytes()), "POP (0x30)");
    }

    @Test
    void selfContainingListsDoNotHangOrOverflow() {
        // l = []; l.append(l) repeated: a cycle, never walked. A few appends give a list root;
        // many count as deep nesting (each append of l into l raises its depth) and are refused.
        PickleBuilder few = new PickleBuilder().proto(2).op(']').binput(0);
        for (int i = 0; i < 10; i++) {
            few.binget(0).op('a');
        }
        refusedWith(StateDictWriter.archiveWith(few.stop().bytes()), "holds a list, not a state dict");
        PickleBuilder many = new PickleBuilder().proto(2).op(']').binput(0);
        for (int i = 0; i < 100_000; i++) {
            many.binget(0).op('a');
        }
        refusedWith(StateDictWriter.archiveWith(many.stop().bytes()), "nested more than 64 deep");
    }

    @Test
    void hugeMemoStringsAndIntegersAreRefused() {
        PickleBuilder memo = new PickleBuilder().proto(2).integer(0);
        for (int i = 0; i < 200; i++) {
            memo.longBinput(i * 7919L);
        }
        UnpicklerLimits small = new UnpicklerLimits(1 << 20, 100, 64, 64, 1 << 20, 1 << 20, 1 << 24, 1 << 20, 32);
        String problem = refused(StateDictWriter.archiveWith(memo.stop().bytes()), small);
        assertEquals(true, problem.contains("more than 100 memo entries"), problem);

        // at the default limits too: 2^20 + 1 distinct memo slots (a 5 MB pickle)
        PickleBuilder defaultMemo = new PickleBuilder().proto(2).integer(0);
        for (long i = 0; i <= 1 << 20; i++) {
            defaultMemo.longBinput(i);
        }
        refusedWith(StateDictWriter.archiveWith(defaultMemo.stop().bytes()), "more than 1048576 memo entries");

        byte[] longString = new PickleBuilder().proto(2).op('X').raw(new byte[] {-1, -1, -1, -1}).stop().bytes();
        refusedWith(StateDictWriter.archiveWith(longString), "truncated");

        byte[] bigInt = new PickleBuilder().proto(2).op(0x8a).op(9).raw(new byte[9]).stop().bytes();
        refusedWith(StateDictWriter.archiveWith(bigInt), "integer of 9 bytes");

        PickleBuilder many = new PickleBuilder().proto(2).op(']').binput(0);
        for (int i = 0; i < 300; i++) {
            many.binget(0);
        }
        UnpicklerLimits fewValues = new UnpicklerLimits(1 << 20, 100, 64, 64, 1 << 20, 1 << 20, 256, 1 << 20, 32);
        problem = refused(StateDictWriter.archiveWith(many.stop().bytes()), fewValues);
        assertEquals(true, problem.contains("builds more than 256 values"), problem);
    }

    @Test
    void malformedPicklesAreRefused() {
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2}), "ends without a STOP");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, (byte) 0xff, '.'}), "not a pickle opcode");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'N', '.', 'N'}), "follow the STOP");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'a', '.'}), "stack underflow");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'h', 3, '.'}), "memo slot 3");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'N', 'N', '.'}), "stops with 2 values");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 9, 'N', '.'}), "pickle protocol 9");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'X', 2, 0, 0, 0, (byte) 0xc3, '(', '.'}),
                "not valid UTF-8");
        refusedWith(StateDictWriter.archiveWith(new byte[] {(byte) 0x80, 2, 'K', 1, '.'}), "holds a int, not a state dict");
    }
}
