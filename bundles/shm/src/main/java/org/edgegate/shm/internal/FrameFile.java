package org.edgegate.shm.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.edgegate.api.camera.Frame;

import static org.edgegate.shm.internal.FrameLayout.*;

/**
 * One camera's frame file: a header page and a ring of slots, each guarded by a sequence lock (docs/shm.md
 * has the layout byte by byte). Only this writer changes the file; readers map it read-only and copy a slot
 * between two reads of its lock, so they can neither block nor slow the writer. The writer keeps its own
 * copy of every lock value and never reads back what a reader (or anyone) could have changed, except to
 * notice that the file was damaged, which {@link #write} reports as {@link Damaged} so the caller makes a new
 * file.
 */
final class FrameFile implements Closeable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Generations are unique within this JVM even when two files are made in the same nanosecond. */
    private static final AtomicLong LAST_GENERATION = new AtomicLong();

    /** The file can no longer be written as it is (truncated, overwritten, removed): make a new one. */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final Object fileKey;
    private final FrameFormat format;
    private final int width;
    private final int height;
    private final int slots;
    private final long stride;
    private final long capacity;
    private final long size;
    private final long generation;
    private final long[] locks;
    private final ByteBuffer[] payloads;
    private final CRC32 crc = new CRC32();
    /**
     * BGR pixels pass through this array, copied into the slot by Java: a native copy (OpenCV's) into a page
     * that another process truncated away faults outside the JVM's reach and kills the gateway (SIGBUS), where
     * Java's copy into the mapping turns the fault into an {@link InternalError} and the file is made anew.
     */
    private byte[] staging;
    private int next;
    private long written;
    private boolean closed;

    private FrameFile(Path path, FileChannel channel, MappedByteBuffer map, Object fileKey, FrameFormat format,
            int width, int height, int slots, long stride, long capacity, long generation) {
        this.path = path;
        this.channel = channel;
        this.map = map;
        this.fileKey = fileKey;
        this.format = format;
        this.width = width;
        this.height = height;
        this.slots = slots;
        this.stride = stride;
        this.capacity = capacity;
        this.size = HEADER_SIZE + slots * stride;
        this.generation = generation;
        this.locks = new long[slots];
        this.payloads = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            payloads[i] = map.slice((int) (slotOffset(i) + SLOT_HEADER_SIZE), (int) capacity);
        }
    }

    /**
     * Makes {@code <dir>/<camera>.frames} for frames of this size: written completely under a temporary
     * name, then renamed over the path in one step, so a reader opening the path finds either the old file
     * or the whole new one. A file that was there before (an earlier generation, or left by a gateway that
     * died) is marked replaced, so readers that have it mapped re-open the path.
     */
    static FrameFile create(Path dir, String camera, FrameFormat format, int width, int height, long capacity,
            int slots, FilePermissions permissions) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("slot capacity " + capacity);
        }
        long stride = roundUp(SLOT_HEADER_SIZE + capacity, PAGE);
        long size = HEADER_SIZE + slots * stride;
        if (size > Integer.MAX_VALUE) {
            throw new IOException(slots + " slots of " + capacity + " bytes make a file over 2 GiB: use fewer slots");
        }
        long generation = nextGeneration();
        Path path = dir.resolve(camera + ".frames");
        Path temporary = dir.resolve("." + camera + ".frames." + Long.toHexString(generation) + ".tmp");
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        boolean done = false;
        try {
            permissions.apply(temporary);
            channel.write(ByteBuffer.allocate(1), size - 1); // sparse: tmpfs gives pages as they are written
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            map.putLong(H_MAGIC, MAGIC);
            map.putInt(H_VERSION, VERSION);
            map.putInt(H_HEADER_SIZE, HEADER_SIZE);
            map.putInt(H_SLOTS, slots);
            map.putInt(H_SLOT_HEADER_SIZE, SLOT_HEADER_SIZE);
            map.putLong(H_SLOT_STRIDE, stride);
            map.putLong(H_SLOT_CAPACITY, capacity);
            map.putLong(H_GENERATION, generation);
            map.putInt(H_STATE, STATE_LIVE);
            map.putInt(H_PID, (int) ProcessHandle.current().pid());
            map.putInt(H_LATEST, -1);
            map.putInt(H_FORMAT, format.code());
            map.putInt(H_WIDTH, width);
            map.putInt(H_HEIGHT, height);
            map.putLong(H_WRITTEN, 0);
            byte[] name = camera.getBytes(StandardCharsets.UTF_8);
            map.put(H_CAMERA, name, 0, Math.min(name.length, CAMERA_BYTES - 1));
            Object key = Files.readAttributes(temporary, BasicFileAttributes.class).fileKey();
            VarHandle.releaseFence();

            FileChannel previous = openExisting(path);
            try {
                move(temporary, path);
                if (previous != null) {
                    markReplaced(previous);
                }
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
            done = true;
            return new FrameFile(path, channel, map, key, format, width, height, slots, stride, capacity, generation);
        } finally {
            if (!done) {
                channel.close();
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static long nextGeneration() {
        long now = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        return LAST_GENERATION.updateAndGet(last -> Math.max(last + 1, now));
    }

    private static FileChannel openExisting(Path path) {
        try {
            // Not through a symbolic link planted in its place: markReplaced writes into what it opens.
            return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // not ours to mark (another owner, a directory): the rename decides
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Marks a superseded file (ours or a dead gateway's) replaced, if it is a frame file at all. */
    private static void markReplaced(FileChannel file) {
        try {
            if (file.size() < HEADER_SIZE) {
                return;
            }
            ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            file.read(magic, H_MAGIC);
            if (magic.getLong(0) == MAGIC) {
                ByteBuffer state = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, STATE_REPLACED);
                file.write(state, H_STATE);
            }
        } catch (IOException e) {
            // a damaged leftover: its readers notice the new file by its generation instead
        }
    }

    /**
     * Writes one frame into the next slot under its sequence lock and makes it the latest. The frame must
     * have this file's size (see {@link #fits}).
     *
     * @return the payload length written
     * @throws Damaged when the file was truncated, overwritten or removed by another process
     */
    int write(Frame frame, boolean checksum) throws Damaged {
        try {
            int length = writeSlot(frame, checksum);
            // A fault in the mapped memory is raised late, at the thread's next safepoint poll or return from
            // native code, which may be after writeSlot's own catch blocks or after this method: reading the
            // size is a native call, so a fault the writes above left pending is raised here, inside this try.
            checkSize();
            return length;
        } catch (InternalError e) {
            throw new Damaged("the file was truncated by another process (" + e.getMessage() + ")");
        }
    }

    private int writeSlot(Frame frame, boolean checksum) throws Damaged {
        check();
        int slot = next;
        int base = (int) slotOffset(slot);
        long lock = locks[slot] + 1; // odd: being written
        boolean complete = false;
        try {
            LONG.setOpaque(map, base + S_LOCK, lock);
            VarHandle.storeStoreFence(); // the odd lock is seen before any byte of the new frame
            ByteBuffer payload = payloads[slot];
            payload.clear();
            if (format == FrameFormat.BGR) {
                int n = frame.width() * frame.height() * 3;
                if (staging == null || staging.length < n) {
                    staging = new byte[n];
                }
                frame.copyBgrTo(ByteBuffer.wrap(staging, 0, n));
                payload.put(staging, 0, n);
            } else {
                payload.put(frame.jpeg());
            }
            int length = payload.position();
            java.time.Instant t = frame.time();
            map.putLong(base + S_SEQ, frame.sequence());
            map.putLong(base + S_TIME, t.getEpochSecond() * 1_000_000_000L + t.getNano());
            map.putLong(base + S_MONO, frame.nanoTime());
            map.putInt(base + S_WIDTH, frame.width());
            map.putInt(base + S_HEIGHT, frame.height());
            map.putInt(base + S_FORMAT, format.code());
            map.putInt(base + S_LENGTH, length);
            int crcValue = 0;
            if (checksum) {
                crc.reset();
                crc.update(payload.flip());
                crcValue = (int) crc.getValue();
            }
            map.putInt(base + S_CRC, crcValue);
            map.putInt(base + S_FLAGS, checksum ? FLAG_CRC : 0);
            complete = true;
            return length;
        } catch (InternalError e) {
            // A fault in the mapped memory: the file was truncated under us (SIGBUS turned into an error).
            throw new Damaged("the file was truncated by another process (" + e.getMessage() + ")");
        } finally {
            try {
                if (!complete) {
                    map.putInt(base + S_FORMAT, 0); // readers skip a slot without a format
                    map.putInt(base + S_LENGTH, 0);
                }
                LONG.setRelease(map, base + S_LOCK, lock + 1); // even: complete, published with release
                locks[slot] = lock + 1;
                if (complete) {
                    next = (slot + 1) % slots;
                    INT.setRelease(map, H_LATEST, slot);
                    LONG.setRelease(map, H_WRITTEN, ++written);
                }
            } catch (InternalError e) {
                complete = false; // truncated under us: the next write reports it and the caller makes a new file
            }
        }
    }

    /** The file is still as long as its mapping: a truncated page would fault. */
    private void checkSize() throws Damaged {
        long actual;
        try {
            actual = channel.size();
        } catch (IOException e) {
            throw new Damaged("cannot read the file's size: " + e.getMessage());
        }
        if (actual < size) {
            throw new Damaged("the file was truncated by another process to " + actual + " bytes (of " + size + ")");
        }
    }

    /** Notices a file damaged by another process before touching the slots (a truncated page would fault). */
    private void check() throws Damaged {
        if (closed) {
            throw new Damaged("closed");
        }
        checkSize();
        try {
            if (map.getLong(H_MAGIC) != MAGIC || map.getLong(H_GENERATION) != generation
                    || map.getInt(H_SLOTS) != slots || map.getLong(H_SLOT_STRIDE) != stride
                    || map.getInt(H_STATE) != STATE_LIVE) {
                throw new Damaged("the file's header was overwritten by another process");
            }
        } catch (InternalError e) {
            throw new Damaged("the file was truncated by another process (" + e.getMessage() + ")");
        }
    }

    /** Whether the path still names this file (not removed or replaced by another process). */
    boolean isAtItsPath() {
        try {
            return Objects.equals(fileKey, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a frame of this size and payload length can go into this file. */
    boolean fits(int frameWidth, int frameHeight, long payloadLength) {
        return frameWidth == width && frameHeight == height && payloadLength <= capacity;
    }

    /**
     * Ends this file. {@code remove}: the publisher stops; marks it closed and deletes it if the path still
     * names it. Otherwise a newer generation has taken the path (and marked this one replaced).
     */
    @Override
    public void close() {
        close(true);
    }

    void close(boolean remove) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (remove) {
                INT.setRelease(map, H_STATE, STATE_CLOSED);
                if (isAtItsPath()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException | InternalError e) {
            // removed or truncated by someone else already
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a file on tmpfs does not fail in practice; the mapping is what holds memory
            }
            Unmapper.unmap(map);
        }
    }

    private long slotOffset(int slot) {
        return HEADER_SIZE + slot * stride;
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    Path path() {
        return path;
    }

    long generation() {
        return generation;
    }

    long written() {
        return written;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    long capacity() {
        return capacity;
    }

    long size() {
        return size;
    }

    FrameFormat format() {
        return format;
    }
}
