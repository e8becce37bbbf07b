package io.extsub.safetensors.torch;

/**
 * Every opcode of pickle protocols 0 to 5 (Python's {@code pickletools} documents them), with
 * how its argument is laid out, so the scanner can step over any pickle, and whether our
 * unpickler accepts it. The accepted set is the one of PyTorch's weights-only unpickler
 * ({@code torch/_weights_only_unpickler.py}): what protocol 2 needs for dicts, tuples, ints,
 * floats, strings, persistent ids and the allowed globals. No opcode that builds objects from
 * names (INST, OBJ, STACK_GLOBAL, EXT*), no text-mode variants, no DUP/POP tricks.
 */
enum PickleOpcode {
    // accepted (torch's weights-only set)
    MARK('(', Arg.NONE, true),
    STOP('.', Arg.NONE, true),
    PROTO(0x80, Arg.FIXED1, true),
    GLOBAL('c', Arg.TWO_LINES, true),
    REDUCE('R', Arg.NONE, true),
    BUILD('b', Arg.NONE, true),
    NEWOBJ(0x81, Arg.NONE, true),
    APPEND('a', Arg.NONE, true),
    APPENDS('e', Arg.NONE, true),
    SETITEM('s', Arg.NONE, true),
    SETITEMS('u', Arg.NONE, true),
    TUPLE('t', Arg.NONE, true),
    TUPLE1(0x85, Arg.NONE, true),
    TUPLE2(0x86, Arg.NONE, true),
    TUPLE3(0x87, Arg.NONE, true),
    NONE('N', Arg.NONE, true),
    NEWTRUE(0x88, Arg.NONE, true),
    NEWFALSE(0x89, Arg.NONE, true),
    EMPTY_TUPLE(')', Arg.NONE, true),
    EMPTY_LIST(']', Arg.NONE, true),
    EMPTY_DICT('}', Arg.NONE, true),
    EMPTY_SET(0x8f, Arg.NONE, true),
    BININT('J', Arg.FIXED4, true),
    BININT1('K', Arg.FIXED1, true),
    BININT2('M', Arg.FIXED2, true),
    LONG1(0x8a, Arg.LEN1, true),
    BINFLOAT('G', Arg.FIXED8, true),
    BINUNICODE('X', Arg.LEN4, true),
    SHORT_BINSTRING('U', Arg.LEN1, true),
    BINPERSID('Q', Arg.NONE, true),
    BINGET('h', Arg.FIXED1, true),
    LONG_BINGET('j', Arg.FIXED4, true),
    BINPUT('q', Arg.FIXED1, true),
    LONG_BINPUT('r', Arg.FIXED4, true),
    // refused: known, so the scanner can step over them and still find every global
    INT('I', Arg.LINE, false),
    LONG('L', Arg.LINE, false),
    LONG4(0x8b, Arg.LEN4_SIGNED, false),
    STRING('S', Arg.LINE, false),
    BINSTRING('T', Arg.LEN4_SIGNED, false),
    BINBYTES('B', Arg.LEN4, false),
    SHORT_BINBYTES('C', Arg.LEN1, false),
    BINBYTES8(0x8e, Arg.LEN8, false),
    BYTEARRAY8(0x96, Arg.LEN8, false),
    NEXT_BUFFER(0x97, Arg.NONE, false),
    READONLY_BUFFER(0x98, Arg.NONE, false),
    UNICODE('V', Arg.LINE, false),
    SHORT_BINUNICODE(0x8c, Arg.LEN1, false),
    BINUNICODE8(0x8d, Arg.LEN8, false),
    FLOAT('F', Arg.LINE, false),
    LIST('l', Arg.NONE, false),
    DICT('d', Arg.NONE, false),
    ADDITEMS(0x90, Arg.NONE, false),
    FROZENSET(0x91, Arg.NONE, false),
    POP('0', Arg.NONE, false),
    DUP('2', Arg.NONE, false),
    POP_MARK('1', Arg.NONE, false),
    GET('g', Arg.LINE, false),
    PUT('p', Arg.LINE, false),
    MEMOIZE(0x94, Arg.NONE, false),
    EXT1(0x82, Arg.FIXED1, false),
    EXT2(0x83, Arg.FIXED2, false),
    EXT4(0x84, Arg.FIXED4, false),
    STACK_GLOBAL(0x93, Arg.NONE, false),
    INST('i', Arg.TWO_LINES, false),
    OBJ('o', Arg.NONE, false),
    NEWOBJ_EX(0x92, Arg.NONE, false),
    FRAME(0x95, Arg.FIXED8, false),
    PERSID('P', Arg.LINE, false);

    /** How the bytes after the opcode are laid out. */
    enum Arg {
        NONE, FIXED1, FIXED2, FIXED4, FIXED8,
        /** 1-byte unsigned length, then that many bytes. */
        LEN1,
        /** 4-byte little-endian unsigned length, then that many bytes. */
        LEN4,
        /** 4-byte little-endian signed length (negative is an error), then the bytes. */
        LEN4_SIGNED,
        /** 8-byte little-endian length, then that many bytes. */
        LEN8,
        /** Text up to and including a newline. */
        LINE,
        /** Two such lines (module, then name). */
        TWO_LINES
    }

    private static final PickleOpcode[] BY_CODE = new PickleOpcode[256];

    static {
        for (PickleOpcode op : values()) {
            if (BY_CODE[op.code] != null) {
                throw new AssertionError("duplicate opcode " + op);
            }
            BY_CODE[op.code] = op;
        }
    }

    final int code;
    final Arg arg;
    final boolean accepted;

    PickleOpcode(int code, Arg arg, boolean accepted) {
        this.code = code;
        this.arg = arg;
        this.accepted = accepted;
    }

    /** The opcode for a byte, or null when no pickle protocol defines it. */
    static PickleOpcode of(int b) {
        return BY_CODE[b & 0xFF];
    }

    String describe() {
        return name() + " (0x" + Integer.toHexString(code) + ")";
    }
}
