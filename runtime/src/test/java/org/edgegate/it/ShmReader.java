package org.edgegate.it;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A reader of the gateway's shared-memory frame files written from docs/shm.md alone (not from the
 * writer's code): maps the file read-only, copies the latest slot between two reads of its lock, and maps
 * the path anew when the file was closed, replaced, truncated or swapped under it.
 */
final class ShmReader implements Closeable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MAGIC = 0x53454D4152464745L; // "EGFRAMES"

    /** A frame as read: its header fields, its payload, and whether the CRC the writer reported matched. */
    record ReadFrame(long seq, long epochNanos, long monoNanos, int width, int height, int format, byte[] payload,
            boolean hasCrc, int crc, long generation) {
        int payloadCrc() {
            CRC32 c = new CRC32();
            c.update(payload);
            return (int) c.getValue();
        }
    }

    private final Path path;
    private MappedByteBuffer map;
    private FileChannel channel;
    private Object fileKey;
    private long size;
    private int headerSize;
    private int slots;
    private long stride;
    private long capacity;
    private long generation;
    private long lastSeq = -1;
    long torn;
    long remaps;

    ShmReader(Path path) {
        this.path = path;
    }

    /** Maps the file at the path if it is there and live; false if it is not (yet, or any more). */
    private boolean map() throws IOException {
        close();
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        long actual = ch.size();
        if (actual < 4096) {
            ch.close();
            throw new IOException(path + " is " + actual + " bytes: too short");
        }
        MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, actual);
        m.order(ByteOrder.LITTLE_ENDIAN);
        if (m.getLong(0) != MAGIC || m.getInt(8) != 1) {
            ch.close();
            throw new IOException(path + " is not a version 1 frame file");
        }
        headerSize = m.getInt(12);
        slots = m.getInt(16);
        stride = m.getLong(24);
        capacity = m.getLong(32);
        generation = m.getLong(40);
        size = headerSize + slots * stride;
        if (actual < size || (int) INT.getAcquire(m, 48) != 1) {
            ch.close();
            return false;
        }
        map = m;
        channel = ch;
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        remaps++;
        return true;
    }

    /** Whether the mapped file is still the live one at the path, whole. */
    private boolean current() throws IOException {
        if (map == null) {
            return false;
        }
        if ((int) INT.getAcquire(map, 48) != 1 || channel.size() < size) {
            return false;
        }
        try {
            return Objects.equals(fileKey, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The newest frame newer than the last one returned, or null at the deadline. */
    ReadFrame next(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            if (!current() && !map()) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(2);
                continue;
            }
            ReadFrame f = readLatest();
            if (f != null) {
                return f;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.onSpinWait();
            Thread.sleep(0, 200_000);
        }
    }

    /** One look at the latest slot: a whole frame newer than the last, or null. */
    private ReadFrame readLatest() {
        int slot = (int) INT.getAcquire(map, 56);
        if (slot < 0 || slot >= slots) {
            return null;
        }
        int base = (int) (headerSize + slot * stride);
        long lock = (long) LONG.getAcquire(map, base);
        if ((lock & 1) != 0 || lock == 0) {
            torn += (lock & 1);
            return null;
        }
        long seq = map.getLong(base + 8);
        int format = map.getInt(base + 40);
        int length = map.getInt(base + 44);
        if ((seq <= lastSeq && generationSeen == generation) || format == 0 || length < 0 || length > capacity) {
            return null;
        }
        ReadFrame f = new ReadFrame(seq, map.getLong(base + 16), map.getLong(base + 24), map.getInt(base + 32),
                map.getInt(base + 36), format, copy(base + 64, length), (map.getInt(base + 52) & 1) != 0,
                map.getInt(base + 48), generation);
        VarHandle.loadLoadFence(); // the copy's loads happen before the lock is read again
        if ((long) LONG.getOpaque(map, base) != lock) {
            torn++;
            return null;
        }
        lastSeq = seq;
        generationSeen = generation;
        return f;
    }

    private long generationSeen;

    private byte[] copy(int at, int length) {
        byte[] b = new byte[length];
        map.get(at, b);
        return b;
    }

    /**
     * Holds the latest slot as a reader stuck in the middle of a copy would: reads its lock, then calls
     * {@code stall}, then finishes the copy. Returns whether the copy would have been accepted.
     */
    boolean copyWithStall(Runnable stall) throws IOException {
        if (!current() && !map()) {
            throw new IOException("no live file at " + path);
        }
        int slot = (int) INT.getAcquire(map, 56);
        int base = (int) (headerSize + slot * stride);
        long lock = (long) LONG.getAcquire(map, base);
        int length = map.getInt(base + 44);
        byte[] first = copy(base + 64, length / 2);
        stall.run();
        byte[] rest = copy(base + 64 + length / 2, length - length / 2);
        VarHandle.loadLoadFence();
        return first.length + rest.length == length && (long) LONG.getOpaque(map, base) == lock;
    }

    /** The frames-written counter of the live file, -1 when there is none. */
    long written() throws IOException {
        if (!current() && !map()) {
            return -1;
        }
        return (long) LONG.getAcquire(map, 72);
    }

    long generation() {
        return generation;
    }

    @Override
    public void close() throws IOException {
        map = null; // a read-only mapping goes with the garbage collector; nothing of it is used again
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
