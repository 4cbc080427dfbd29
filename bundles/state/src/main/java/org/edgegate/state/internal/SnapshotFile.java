package org.edgegate.state.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.ValueType;

/**
 * The persisted snapshot: a small binary file with a checksum, written to a temporary file, forced
 * to disk and renamed over the old one, so a crash mid-write leaves the previous snapshot intact.
 * Layout: magic, entry count, then per entry its key (modified UTF-8, 2-byte length), version,
 * timestamp, type byte and value; a CRC-32 of all that as the last 8 bytes.
 */
final class SnapshotFile {
    private static final int MAGIC = 0x45475331; // "EGS1"

    private final Path file;

    SnapshotFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /**
     * Writes the entries, streamed: the file is written as the entries are walked, with its checksum
     * computed on the way, so a full state is never held a second time in memory.
     */
    void write(Collection<StateEntry> entries) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeInt(MAGIC);
            out.writeInt(entries.size());
            for (StateEntry e : entries) {
                out.writeUTF(e.key());
                out.writeLong(e.version());
                out.writeLong(e.timestamp());
                writeValue(out, e.value());
            }
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
            raw.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the snapshot, streamed (the file is not loaded whole); an absent file is an empty state.
     * Every length in the file is checked against what is left of it before anything is allocated.
     *
     * @throws IOException when the file is unreadable or corrupt
     */
    List<StateEntry> read() throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException absent) {
            return List.of();
        }
        try (ch) {
            long size = ch.size();
            if (size < 16) {
                throw new IOException("truncated (" + size + " bytes)");
            }
            ByteBuffer trailer = ByteBuffer.allocate(8);
            while (trailer.hasRemaining() && ch.read(trailer, size - 8 + trailer.position()) >= 0) {
                // a positional read may return fewer bytes
            }
            long stored = trailer.flip().getLong();
            ch.position(0);
            Body body = new Body(new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), size - 8);
            CheckedInputStream checked = new CheckedInputStream(body, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            List<StateEntry> entries = entries(in, body);
            if (body.remaining > 0) {
                throw new IOException(body.remaining + " bytes after the last entry");
            }
            if (stored != checked.getChecksum().getValue()) {
                throw new IOException("checksum mismatch");
            }
            return entries;
        } catch (EOFException e) {
            throw new IOException("truncated", e);
        }
    }

    private static List<StateEntry> entries(DataInputStream in, Body body) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an EdgeGate state snapshot");
        }
        int count = in.readInt();
        if (count < 0 || count > body.remaining / 19) { // the smallest entry takes 19 bytes
            throw new IOException("bad entry count " + count);
        }
        List<StateEntry> entries = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                long version = in.readLong();
                long timestamp = in.readLong();
                entries.add(new StateEntry(key, readValue(in, body), version, timestamp));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid entry: " + e.getMessage(), e);
        }
        return entries;
    }

    /** The file without its checksum, counting what is left so lengths can be checked. */
    private static final class Body extends FilterInputStream {
        long remaining;

        Body(InputStream in, long length) {
            super(in);
            remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** Moves a corrupt file aside so it can be inspected, and returns where it went. */
    Path keepAside() throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        ValueType type = ValueType.of(value);
        out.writeByte(type.ordinal());
        switch (type) {
            case NUMBER -> {
                boolean integral = value instanceof Long;
                out.writeBoolean(integral);
                if (integral) {
                    out.writeLong((Long) value);
                } else {
                    out.writeDouble(((Number) value).doubleValue());
                }
            }
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case STRING -> {
                byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            case BYTES -> {
                byte[] b = (byte[]) value;
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    private static Object readValue(DataInputStream in, Body body) throws IOException {
        int ordinal = in.readUnsignedByte();
        ValueType[] types = ValueType.values();
        if (ordinal >= types.length) {
            throw new IOException("unknown value type " + ordinal);
        }
        switch (types[ordinal]) {
            case NUMBER:
                return in.readBoolean() ? (Object) in.readLong() : (Object) in.readDouble();
            case BOOLEAN:
                return in.readBoolean();
            case STRING:
                return new String(readBytes(in, body), StandardCharsets.UTF_8);
            default:
                return readBytes(in, body);
        }
    }

    private static byte[] readBytes(DataInputStream in, Body body) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > body.remaining) {
            throw new IOException("bad length " + n);
        }
        return in.readNBytes(n);
    }
}
