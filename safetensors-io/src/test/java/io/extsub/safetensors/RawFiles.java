package io.extsub.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors bytes by hand, independently of {@link SafetensorsWriter}. */
final class RawFiles {

    private RawFiles() {
    }

    /** Length prefix, the header text as UTF-8 (not padded), then {@code dataLength} bytes 0,1,2,... */
    static byte[] bytes(String header, int dataLength) {
        return bytes(header.getBytes(StandardCharsets.UTF_8), dataLength);
    }

    static byte[] bytes(byte[] header, int dataLength) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (int i = 0; i < dataLength; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    /** A prefix claiming {@code length} header bytes, followed by {@code rest}. */
    static byte[] withLength(long length, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(rest);
        return b.array();
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
