package org.edgegate.mqtt.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store-and-forward journal of one broker: messages that could not be sent, on disk under
 * {@code data/mqtt/<id>/}, in order, until the broker acknowledges them.
 *
 * <p>Append-only segment files {@code <number>.seg}, each a run of records
 * {@code [int length][int CRC-32C of body][body]}, body {@code [u16 topic length][topic UTF-8][payload]}. A
 * {@code cursor} file holds the position after the last acknowledged record ({@code [long segment][long offset]
 * [long index][int CRC-32C]}). On open every segment is checked record by record: a torn record at the end of the
 * last segment (a write cut by a kill or a power loss) is cut off, a bad record elsewhere ends its segment (both
 * counted as corrupt). When the segments exceed the size cap, the oldest segment is deleted and its unsent records
 * are counted as dropped.
 *
 * <p>Durability: each append is one {@code write} to the file, so a record the journal has accepted survives the
 * process being killed ({@code kill -9}): it is in the kernel's page cache. Segments and the cursor are forced to
 * the device every {@code syncMillis} (0: after every batch of appends), which bounds what a power cut can lose.
 * The cursor is written at the same pace: after a crash, records acknowledged since the last cursor write are sent
 * again (QoS 1 allows duplicates), none is lost.
 *
 * <p>Not thread-safe: the bridge's sender thread owns it; the counters may be read from any thread.
 */
final class Journal implements Closeable {
    static final int HEADER = 8;
    private static final String SUFFIX = ".seg";

    /** One record read back: its topic and payload, and where it ends (for {@link #commit}). */
    record Entry(String topic, byte[] payload, long segment, long index, long end) {
    }

    private static final class Segment {
        final long number;
        final Path path;
        long size;
        long records;

        Segment(long number, Path path) {
            this.number = number;
            this.path = path;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final int syncMillis;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel cursorFile;
    private FileChannel writer;
    private Segment writing;
    private FileChannel reader;
    private long readerSegment = -1;

    // acknowledged position, and the read position (at or after it)
    private long cursorSegment;
    private long cursorOffset;
    private long cursorIndex;
    private long readSegment;
    private long readOffset;
    private long readIndex;

    private boolean unsynced;
    private boolean cursorDirty;
    private long lastSync = System.nanoTime();

    private volatile long appended;
    private volatile long dropped;
    private volatile long corrupt;
    private volatile long bytes;
    private volatile long pending;

    Journal(Path dir, long maxBytes, int syncMillis) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 * 1024, Math.min(8L * 1024 * 1024, maxBytes / 8));
        this.syncMillis = syncMillis;
        Files.createDirectories(dir);
        cursorFile = FileChannel.open(dir.resolve("cursor"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        long n = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                        segments.put(n, new Segment(n, f));
                    } catch (NumberFormatException notOurs) {
                        // leave foreign files alone
                    }
                }
            }
        }
        long[] cursor = readCursor();
        for (Segment s : segments.values()) {
            boolean last = s == segments.lastEntry().getValue();
            scan(s, last);
        }
        // the cursor: on an existing segment, else at the start of the first segment after it
        if (cursor != null && segments.containsKey(cursor[0]) && cursor[1] <= segments.get(cursor[0]).size) {
            cursorSegment = cursor[0];
            cursorOffset = cursor[1];
            cursorIndex = indexAt(segments.get(cursor[0]), cursor[1]);
        } else {
            Long next = cursor == null ? (segments.isEmpty() ? null : segments.firstKey()) : segments.ceilingKey(cursor[0]);
            if (cursor != null) {
                // segments before the cursor were fully acknowledged
                for (Long old : new ArrayList<>(segments.headMap(cursor[0]).keySet())) {
                    delete(segments.remove(old));
                }
            }
            cursorSegment = next != null ? next : cursor != null ? cursor[0] + 1 : 1;
            cursorOffset = 0;
            cursorIndex = 0;
        }
        for (Long old : new ArrayList<>(segments.headMap(cursorSegment).keySet())) {
            delete(segments.remove(old));
        }
        if (segments.isEmpty()) {
            openWriter(cursorSegment);
        } else {
            Segment last = segments.lastEntry().getValue();
            writing = last;
            writer = FileChannel.open(last.path, StandardOpenOption.WRITE);
            writer.truncate(last.size);
            writer.position(last.size);
        }
        rewind();
        cursorDirty = true;
        refresh();
    }

    /** Counts a segment's good records; cuts a torn tail off the last one. */
    private void scan(Segment s, boolean last) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            long size = ch.size();
            long offset = 0;
            long records = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset < size) {
                int length = readRecordLength(ch, header, offset, size);
                if (length < 0 || !checksumOk(ch, header, offset, length)) {
                    corrupt++;
                    break;
                }
                offset += HEADER + length;
                records++;
            }
            s.size = offset;
            s.records = records;
            if (offset < size && last) {
                // a torn write at the end: cut it off so appends continue on a good boundary
                try (FileChannel w = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
                    w.truncate(offset);
                }
            }
        }
    }

    /** The record's body length, or -1 if the header does not fit or is impossible. */
    private int readRecordLength(FileChannel ch, ByteBuffer header, long offset, long size) throws IOException {
        if (size - offset < HEADER) {
            return -1;
        }
        header.clear();
        readFully(ch, header, offset);
        header.flip();
        int length = header.getInt(0);
        return length < 2 || length > segmentBytes || offset + HEADER + length > size ? -1 : length;
    }

    private static boolean checksumOk(FileChannel ch, ByteBuffer header, long offset, int length) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + HEADER);
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        return (int) crc.getValue() == header.getInt(4);
    }

    private static long indexAt(Segment s, long offset) throws IOException {
        long index = 0;
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            long at = 0;
            while (at < offset && at < s.size) {
                header.clear();
                readFully(ch, header, at);
                at += HEADER + header.getInt(0);
                index++;
            }
        }
        return index;
    }

    private long[] readCursor() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28);
        if (cursorFile.size() < 28) {
            return null;
        }
        readFully(cursorFile, b, 0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        if ((int) crc.getValue() != b.getInt(24)) {
            return null; // torn or foreign: replay from the oldest segment (duplicates, never a loss)
        }
        return new long[] { b.getLong(0), b.getLong(8), b.getLong(16) };
    }

    private void writeCursor() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putLong(0, cursorSegment).putLong(8, cursorOffset).putLong(16, cursorIndex);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        b.putInt(24, (int) crc.getValue());
        cursorFile.write(b, 0);
        cursorDirty = false;
    }

    private void openWriter(long number) throws IOException {
        if (writer != null) {
            writer.close();
        }
        Segment s = new Segment(number, dir.resolve(String.format("%016d%s", number, SUFFIX)));
        writer = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(number, s);
        writing = s;
    }

    /**
     * Appends a message; when the cap is reached the oldest segment goes (its unsent records counted as dropped).
     *
     * @throws IllegalArgumentException if one record is larger than a segment
     */
    void append(String topic, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int length = 2 + t.length + payload.length;
        if (t.length > 65535 || length > segmentBytes) {
            throw new IllegalArgumentException("message of " + length + " bytes is larger than a journal segment ("
                    + segmentBytes + " bytes)");
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER + length);
        record.putInt(length).putInt(0).putShort((short) t.length).put(t).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER, length);
        record.putInt(4, (int) crc.getValue());
        record.flip();
        if (writing.size > 0 && writing.size + record.remaining() > segmentBytes) {
            openWriter(writing.number + 1);
        }
        while (record.hasRemaining()) {
            writer.write(record);
        }
        writing.size += HEADER + length;
        writing.records++;
        appended++;
        unsynced = true;
        while (totalBytes() > maxBytes && segments.size() > 1) {
            dropOldest();
        }
        refresh();
    }

    private void dropOldest() throws IOException {
        Segment oldest = segments.pollFirstEntry().getValue();
        long lost = oldest.number < cursorSegment ? 0
                : oldest.number == cursorSegment ? oldest.records - cursorIndex : oldest.records;
        dropped += lost;
        delete(oldest);
        long next = segments.firstKey();
        if (cursorSegment <= oldest.number) {
            cursorSegment = next;
            cursorOffset = 0;
            cursorIndex = 0;
            cursorDirty = true;
        }
        if (readSegment <= oldest.number) {
            readSegment = next;
            readOffset = 0;
            readIndex = 0;
        }
    }

    /** The next unread record, or null when everything has been read. */
    Entry next() throws IOException {
        while (true) {
            Segment s = segments.get(readSegment);
            if (s == null) {
                Long after = segments.ceilingKey(readSegment);
                if (after == null) {
                    return null;
                }
                readSegment = after;
                readOffset = 0;
                readIndex = 0;
                continue;
            }
            if (readOffset >= s.size) {
                Long after = segments.higherKey(readSegment);
                if (after == null) {
                    return null;
                }
                readSegment = after;
                readOffset = 0;
                readIndex = 0;
                continue;
            }
            if (readerSegment != s.number) {
                if (reader != null) {
                    reader.close();
                }
                reader = FileChannel.open(s.path, StandardOpenOption.READ);
                readerSegment = s.number;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            int length = readRecordLength(reader, header, readOffset, s.size);
            ByteBuffer body = length < 0 ? null : ByteBuffer.allocate(length);
            if (body != null) {
                readFully(reader, body, readOffset + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array());
                if ((int) crc.getValue() != header.getInt(4)) {
                    body = null;
                }
            }
            if (body == null) {
                // damaged since it was written: skip the rest of this segment
                corrupt++;
                s.records = readIndex;
                s.size = readOffset;
                continue;
            }
            int topicLength = body.getShort(0) & 0xffff;
            String topic = new String(body.array(), 2, topicLength, StandardCharsets.UTF_8);
            byte[] payload = new byte[length - 2 - topicLength];
            System.arraycopy(body.array(), 2 + topicLength, payload, 0, payload.length);
            readOffset += HEADER + length;
            Entry e = new Entry(topic, payload, s.number, readIndex, readOffset);
            readIndex++;
            return e;
        }
    }

    /** Whether there are records not yet read (since the last {@link #rewind}). */
    boolean hasUnread() {
        Segment s = segments.get(readSegment);
        if (s != null && readOffset < s.size) {
            return true;
        }
        Map.Entry<Long, Segment> later = segments.higherEntry(readSegment);
        while (later != null) {
            if (later.getValue().size > 0) {
                return true;
            }
            later = segments.higherEntry(later.getKey());
        }
        return false;
    }

    /** Reads again from the last acknowledged record (after a lost connection: unacknowledged ones are resent). */
    void rewind() {
        readSegment = cursorSegment;
        readOffset = cursorOffset;
        readIndex = cursorIndex;
    }

    /** Marks every record up to and including {@code e} acknowledged; consumed segments are deleted. */
    void commit(Entry e) throws IOException {
        if (e.segment() < cursorSegment || (e.segment() == cursorSegment && e.end() <= cursorOffset)) {
            return; // dropped by the cap meanwhile, or already committed
        }
        cursorSegment = e.segment();
        cursorOffset = e.end();
        cursorIndex = e.index() + 1;
        cursorDirty = true;
        for (Long old : new ArrayList<>(segments.headMap(cursorSegment).keySet())) {
            delete(segments.remove(old));
        }
        Segment s = segments.get(cursorSegment);
        if (s != null && cursorOffset >= s.size && s == writing && s.size > 0 && !hasUnreadAfterCursor()) {
            // everything sent: start a fresh, empty segment so the disk is given back
            long next = s.number + 1;
            openWriter(next);
            segments.remove(s.number);
            if (readerSegment == s.number && reader != null) {
                reader.close();
                reader = null;
                readerSegment = -1;
            }
            delete(s);
            cursorSegment = next;
            cursorOffset = 0;
            cursorIndex = 0;
            if (readSegment <= s.number) {
                readSegment = next;
                readOffset = 0;
                readIndex = 0;
            }
        }
        refresh();
    }

    private boolean hasUnreadAfterCursor() {
        return segments.higherKey(cursorSegment) != null;
    }

    /** Forces appended records and the cursor to the device when {@code syncMillis} have passed (or always for 0). */
    void sync(boolean now) throws IOException {
        if (!unsynced && !cursorDirty) {
            return;
        }
        long t = System.nanoTime();
        if (!now && syncMillis > 0 && t - lastSync < syncMillis * 1_000_000L) {
            return;
        }
        if (unsynced) {
            writer.force(false);
            unsynced = false;
        }
        if (cursorDirty) {
            writeCursor();
            cursorFile.force(false);
        }
        lastSync = t;
    }

    private long totalBytes() {
        long sum = 0;
        for (Segment s : segments.values()) {
            sum += s.size;
        }
        return sum;
    }

    private void refresh() {
        bytes = totalBytes();
        long p = 0;
        for (Segment s : segments.tailMap(cursorSegment, true).values()) {
            p += s.number == cursorSegment ? s.records - cursorIndex : s.records;
        }
        pending = p;
    }

    private static void delete(Segment s) throws IOException {
        Files.deleteIfExists(s.path);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long offset) throws IOException {
        long at = offset;
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + ch);
            }
            at += n;
        }
    }

    /** Records written and not yet acknowledged (they survive a restart). */
    long pending() {
        return pending;
    }

    long appended() {
        return appended;
    }

    long dropped() {
        return dropped;
    }

    long corrupt() {
        return corrupt;
    }

    long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    Path dir() {
        return dir;
    }

    /** Segment files, oldest first (for tests and gw:mqtt). */
    List<Path> segmentFiles() {
        return segments.values().stream().map(s -> s.path).toList();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : new Closeable[] { () -> sync(true), writer, reader, cursorFile }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        writer = null;
        reader = null;
        if (first != null) {
            throw first;
        }
    }
}
