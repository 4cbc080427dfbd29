package org.edgegate.state.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.ValueType;

/**
 * The persisted snapshot: a small binary file with a checksum, written to a temporary file, forced
 * to disk and renamed over the old one, so a crash mid-write leaves the previous snapshot intact.
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

    void write(Collection<StateEntry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(entries.size());
            for (StateEntry e : entries) {
                out.writeUTF(e.key());
                out.writeLong(e.version());
                out.writeLong(e.timestamp());
                writeValue(out, e.value());
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch))) {
            bytes.writeTo(out);
            new DataOutputStream(out).writeLong(crc.getValue());
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the snapshot; an absent file is an empty state.
     *
     * @throws IOException when the file is unreadable or corrupt
     */
    List<StateEntry> read() throws IOException {
        byte[] all;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            all = in.readAllBytes();
        } catch (NoSuchFileException absent) {
            return List.of();
        }
        if (all.length < 16) {
            throw new IOException("truncated (" + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - 8, 8)).readLong();
        if (stored != crc.getValue()) {
            throw new IOException("checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not an EdgeGate state snapshot");
            }
            int count = in.readInt();
            List<StateEntry> entries = new ArrayList<>(Math.min(count, 100_000));
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                long version = in.readLong();
                long timestamp = in.readLong();
                entries.add(new StateEntry(key, readValue(in), version, timestamp));
            }
            return entries;
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid entry: " + e.getMessage(), e);
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

    private static Object readValue(DataInputStream in) throws IOException {
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
                return new String(readBytes(in), StandardCharsets.UTF_8);
            default:
                return readBytes(in);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        return in.readNBytes(n);
    }
}
