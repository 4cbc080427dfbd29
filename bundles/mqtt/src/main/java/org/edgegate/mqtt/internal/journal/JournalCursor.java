package org.edgegate.mqtt.internal.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The journal's {@code cursor} file: the position after the last acknowledged record,
 * {@code [long segment][long offset][long index][int CRC-32C]}, overwritten in place.
 */
final class JournalCursor implements Closeable {
    private static final int SIZE = 28;

    private final FileChannel file;

    JournalCursor(Path path) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** {@code {segment, offset, index}} as last written, or null if there is none or it is torn. */
    long[] read() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        if (file.size() < SIZE) {
            return null;
        }
        JournalRecord.readFully(file, b, 0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        if ((int) crc.getValue() != b.getInt(24)) {
            return null; // torn or foreign: replay from the oldest segment (duplicates, never a loss)
        }
        return new long[] { b.getLong(0), b.getLong(8), b.getLong(16) };
    }

    /** Writes the position and forces it to the device. */
    void write(long segment, long offset, long index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putLong(0, segment).putLong(8, offset).putLong(16, index);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        b.putInt(24, (int) crc.getValue());
        file.write(b, 0);
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
