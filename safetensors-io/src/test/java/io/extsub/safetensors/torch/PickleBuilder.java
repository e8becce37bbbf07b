package io.extsub.safetensors.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes byte by byte (Python's pickletools documents each one). */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBuilder raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBuilder proto(int v) {
        return op(0x80).op(v);
    }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** The smallest of BININT1 / BININT2 / BININT / LONG1, as pickle.py chooses. */
    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            op('M');
            return op((int) (v & 0xFF)).op((int) (v >>> 8));
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            return le32((int) v);
        }
        op(0x8a).op(8);
        for (int i = 0; i < 8; i++) {
            op((int) (v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    PickleBuilder intTuple(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder tuple() {
        return op('t');
    }

    PickleBuilder emptyTuple() {
        return op(')');
    }

    PickleBuilder emptyDict() {
        return op('}');
    }

    PickleBuilder reduce() {
        return op('R');
    }

    PickleBuilder setitems() {
        return op('u');
    }

    PickleBuilder binput(int i) {
        return op('q').op(i);
    }

    PickleBuilder binget(int i) {
        return op('h').op(i);
    }

    PickleBuilder longBinput(long i) {
        op('r');
        return le32((int) i);
    }

    PickleBuilder newFalse() {
        return op(0x89);
    }

    PickleBuilder stop() {
        return op('.');
    }

    private PickleBuilder le32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
