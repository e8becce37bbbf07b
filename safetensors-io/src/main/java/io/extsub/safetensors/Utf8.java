package io.extsub.safetensors;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checks (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * {@code raw} decoded as UTF-8, refusing malformed input instead of replacing it (names in
     * a file must not change silently): the JDK's decoder in REPORT mode.
     */
    public static String decode(byte[] raw) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString();
    }

    /** Index of the first byte that starts an invalid sequence, or -1 when all is valid. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int len;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                len = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + len > n) {
                return i;
            }
            int cp = c & (0xff >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += len;
        }
        return -1;
    }

    /** UTF-8 byte offset of UTF-16 index {@code charIndex} in {@code s}. */
    static long byteOffset(String s, int charIndex) {
        long bytes = 0;
        int end = Math.min(charIndex, s.length());
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
