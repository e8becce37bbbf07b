package io.extsub.safetensors.torch;

/**
 * One stored (uncompressed) member of a zip archive, as checked against both its central
 * directory record and its local header.
 *
 * @param name         the member name (UTF-8), e.g. {@code archive/data/0}
 * @param headerOffset where its local file header starts
 * @param dataOffset   where its bytes start (after the local header, name and extra field)
 * @param size         its size in bytes (stored, so compressed size = size)
 */
record ZipEntry(String name, long headerOffset, long dataOffset, long size) {

    long dataEnd() {
        return dataOffset + size;
    }
}
