package io.extsub.safetensors.torch;

import io.extsub.safetensors.TensorFormatException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The first pass over {@code data.pkl}, before anything is built: steps over every opcode
 * (knowing the argument layout of all protocols, so a hostile pickle written with any of them
 * is understood) and refuses the file on the first reference to a Python global other than
 * the {@link AllowedGlobal}s. Only then does it complain about opcodes our unpickler does not
 * accept, so a pickle that calls {@code os.system} is always reported as doing so.
 *
 * <p>Like torch's {@code get_globals_in_checkpoint}, this reads, it never executes.
 */
final class PickleScanner {
    /** Module and name lines of GLOBAL/INST; Python identifiers are far shorter. */
    static final int MAX_GLOBAL_LINE = 1024;
    /** Other text arguments (refused anyway, but we must step over them). */
    private static final long MAX_TEXT_LINE = 1 << 20;

    private PickleScanner() {
    }

    static void scan(Path file, MemorySegment pickle) throws TensorFormatException {
        PickleReader in = new PickleReader(file, pickle);
        String unsupported = null;
        // Literal strings recently pushed or memoized, to name what STACK_GLOBAL would load.
        String last = null;
        String beforeLast = null;
        Map<Long, String> memoStrings = new HashMap<>();
        long memoCount = 0;
        while (true) {
            if (in.atEnd()) {
                throw in.fail("the pickle (data.pkl) ends without a STOP opcode");
            }
            long at = in.position();
            int b = in.u8();
            PickleOpcode op = PickleOpcode.of(b);
            if (op == null) {
                throw in.fail("byte 0x" + Integer.toHexString(b) + " at offset " + at
                        + " of the pickle (data.pkl) is not a pickle opcode");
            }
            String pushedString = null;
            boolean keepsStrings = false;
            switch (op) {
                case GLOBAL, INST -> {
                    String module = text(in.line(MAX_GLOBAL_LINE));
                    String name = text(in.line(MAX_GLOBAL_LINE));
                    if (AllowedGlobal.find(module, name).isEmpty()) {
                        throw refuse(in, "the Python global " + module + "." + name);
                    }
                }
                case STACK_GLOBAL -> {
                    if (last == null || beforeLast == null) {
                        throw refuse(in, "a Python global through STACK_GLOBAL");
                    }
                    if (AllowedGlobal.find(beforeLast, last).isEmpty()) {
                        throw refuse(in, "the Python global " + beforeLast + "." + last);
                    }
                }
                case EXT1, EXT2, EXT4 -> {
                    skipArgument(in, op);
                    throw refuse(in, "a Python global through the copyreg extension registry (" + op.name() + ")");
                }
                case BINUNICODE, SHORT_BINUNICODE, SHORT_BINSTRING, BINSTRING, STRING, UNICODE -> {
                    pushedString = text(readArgument(in, op));
                }
                case BINPUT, LONG_BINPUT, PUT, MEMOIZE -> {
                    long index = switch (op) {
                        case BINPUT -> in.u8();
                        case LONG_BINPUT -> in.u32();
                        case PUT -> parseIndex(in.line(MAX_TEXT_LINE));
                        default -> memoCount;
                    };
                    if (last != null && index >= 0 && memoStrings.size() < 1 << 16) {
                        memoStrings.put(index, last);
                    }
                    memoCount++;
                    keepsStrings = true;
                }
                case BINGET, LONG_BINGET, GET -> {
                    long index = switch (op) {
                        case BINGET -> in.u8();
                        case LONG_BINGET -> in.u32();
                        default -> parseIndex(in.line(MAX_TEXT_LINE));
                    };
                    pushedString = memoStrings.get(index);
                }
                case FRAME -> {
                    skipArgument(in, op);
                    keepsStrings = true;
                }
                case STOP -> {
                    if (!in.atEnd()) {
                        throw in.fail(in.remaining() + " bytes follow the STOP opcode of the pickle (data.pkl)");
                    }
                    if (unsupported != null) {
                        throw in.fail(unsupported);
                    }
                    return;
                }
                default -> skipArgument(in, op);
            }
            if (!op.accepted && unsupported == null) {
                unsupported = "the pickle (data.pkl) uses opcode " + op.describe() + " at offset " + at
                        + ", which a torch.save state dict never needs";
            }
            if (pushedString != null) {
                beforeLast = last;
                last = pushedString;
            } else if (!keepsStrings) {
                beforeLast = null;
                last = null;
            }
        }
    }

    private static TensorFormatException refuse(PickleReader in, String what) {
        return in.fail("refusing to load: it references " + what + ", which a tensor state dict never needs");
    }

    private static void skipArgument(PickleReader in, PickleOpcode op) throws TensorFormatException {
        readArgument(in, op);
    }

    /** Reads (and for the string-like layouts returns) the argument of {@code op}. */
    static byte[] readArgument(PickleReader in, PickleOpcode op) throws TensorFormatException {
        switch (op.arg) {
            case NONE -> {
                return null;
            }
            case FIXED1 -> in.skip(1);
            case FIXED2 -> in.skip(2);
            case FIXED4 -> in.skip(4);
            case FIXED8 -> in.skip(8);
            case LEN1 -> {
                return in.take(in.u8());
            }
            case LEN4 -> {
                return in.take(in.u32());
            }
            case LEN4_SIGNED -> {
                int n = in.i32();
                if (n < 0) {
                    throw in.fail("negative length " + n + " in the pickle (data.pkl)");
                }
                return in.take(n);
            }
            case LEN8 -> {
                long n = in.i64();
                in.skip(n);
                return null;
            }
            case LINE -> {
                return in.line(MAX_TEXT_LINE);
            }
            case TWO_LINES -> {
                in.line(MAX_GLOBAL_LINE);
                in.line(MAX_GLOBAL_LINE);
            }
        }
        return null;
    }

    private static long parseIndex(byte[] line) {
        try {
            return Long.parseLong(new String(line, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Lenient decoding for names we only print: invalid bytes become U+FFFD, controls escaped. */
    private static String text(byte[] raw) {
        if (raw == null) {
            return null;
        }
        String s = new String(raw, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
