package org.edgegate.mqtt.internal.journal;

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

/**
 * The store-and-forward journal of one broker: messages that could not be sent, on disk under
 * {@code data/mqtt/<id>/}, in order, until the broker acknowledges them.
 *
 * <p>Append-only segment files ({@link JournalSegment}), each a run of records ({@link JournalRecord}). A
 * {@code cursor} file ({@link JournalCursor}) holds the position after the last acknowledged record. This class is
 * the journal's policy: where reading and acknowledging stand, recovery, the size cap. On open every segment is checked record by record: a torn record at the end of the
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
public final class Journal implements Closeable {
    /** One record read back: its topic and payload, and where it ends (for {@link #commit}). */
    public record Entry(String topic, byte[] payload, long segment, long index, long end) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final int syncMillis;
    private final TreeMap<Long, JournalSegment> segments = new TreeMap<>();
    private final JournalCursor cursorFile;
    private FileChannel writer;
    private JournalSegment writing;
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

    public Journal(Path dir, long maxBytes, int syncMillis) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 * 1024, Math.min(8L * 1024 * 1024, maxBytes / 8));
        this.syncMillis = syncMillis;
        Files.createDirectories(dir);
        cursorFile = new JournalCursor(dir.resolve("cursor"));
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
                JournalSegment s = JournalSegment.of(f);
                if (s != null) {
                    segments.put(s.number, s);
                }
            }
        }
        long[] cursor = cursorFile.read();
        for (JournalSegment s : segments.values()) {
            if (s.scan(segmentBytes, s == segments.lastEntry().getValue())) {
                corrupt++;
            }
        }
        // the cursor: on an existing segment, else at the start of the first segment after it
        if (cursor != null && segments.containsKey(cursor[0]) && cursor[1] <= segments.get(cursor[0]).size) {
            cursorSegment = cursor[0];
            cursorOffset = cursor[1];
            cursorIndex = segments.get(cursor[0]).indexAt(cursor[1]);
        } else {
            Long next = cursor == null ? (segments.isEmpty() ? null : segments.firstKey()) : segments.ceilingKey(cursor[0]);
            if (cursor != null) {
                // segments before the cursor were fully acknowledged
                for (Long old : new ArrayList<>(segments.headMap(cursor[0]).keySet())) {
                    segments.remove(old).delete();
                }
            }
            cursorSegment = next != null ? next : cursor != null ? cursor[0] + 1 : 1;
            cursorOffset = 0;
            cursorIndex = 0;
        }
        for (Long old : new ArrayList<>(segments.headMap(cursorSegment).keySet())) {
            segments.remove(old).delete();
        }
        if (segments.isEmpty()) {
            openWriter(cursorSegment);
        } else {
            JournalSegment last = segments.lastEntry().getValue();
            writing = last;
            writer = FileChannel.open(last.path, StandardOpenOption.WRITE);
            writer.truncate(last.size);
            writer.position(last.size);
        }
        rewind();
        cursorDirty = true;
        refresh();
    }

    private void openWriter(long number) throws IOException {
        if (writer != null) {
            writer.close();
        }
        JournalSegment s = JournalSegment.in(dir, number);
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
    public void append(String topic, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int length = JournalRecord.length(t, payload);
        if (t.length > 65535 || length > segmentBytes) {
            throw new IllegalArgumentException("message of " + length + " bytes is larger than a journal segment ("
                    + segmentBytes + " bytes)");
        }
        ByteBuffer record = JournalRecord.encode(t, payload);
        if (writing.size > 0 && writing.size + record.remaining() > segmentBytes) {
            openWriter(writing.number + 1);
        }
        while (record.hasRemaining()) {
            writer.write(record);
        }
        writing.size += JournalRecord.HEADER + length;
        writing.records++;
        appended++;
        unsynced = true;
        while (totalBytes() > maxBytes && segments.size() > 1) {
            dropOldest();
        }
        refresh();
    }

    private void dropOldest() throws IOException {
        JournalSegment oldest = segments.pollFirstEntry().getValue();
        long lost = oldest.number < cursorSegment ? 0
                : oldest.number == cursorSegment ? oldest.records - cursorIndex : oldest.records;
        dropped += lost;
        oldest.delete();
        long next = segments.firstKey();
        if (cursorSegment <= oldest.number) {
            cursorSegment = next;
            cursorOffset = 0;
            cursorIndex = 0;
            cursorDirty = true;
        }
        if (readSegment <= oldest.number) {
            readFrom(next);
        }
    }

    /** The next unread record, or null when everything has been read. */
    public Entry next() throws IOException {
        while (true) {
            JournalSegment s = segments.get(readSegment);
            if (s == null || readOffset >= s.size) {
                Long after = s == null ? segments.ceilingKey(readSegment) : segments.higherKey(readSegment);
                if (after == null) {
                    return null;
                }
                readFrom(after);
                continue;
            }
            if (readerSegment != s.number) {
                if (reader != null) {
                    reader.close();
                }
                reader = FileChannel.open(s.path, StandardOpenOption.READ);
                readerSegment = s.number;
            }
            ByteBuffer body = JournalRecord.read(reader, readOffset, s.size, segmentBytes);
            if (body == null) {
                // damaged since it was written: skip the rest of this segment
                corrupt++;
                s.records = readIndex;
                s.size = readOffset;
                continue;
            }
            readOffset += JournalRecord.HEADER + body.capacity();
            Entry e = new Entry(JournalRecord.topic(body), JournalRecord.payload(body), s.number, readIndex,
                    readOffset);
            readIndex++;
            return e;
        }
    }

    /** Whether there are records not yet read (since the last {@link #rewind}). */
    public boolean hasUnread() {
        JournalSegment s = segments.get(readSegment);
        if (s != null && readOffset < s.size) {
            return true;
        }
        Map.Entry<Long, JournalSegment> later = segments.higherEntry(readSegment);
        while (later != null) {
            if (later.getValue().size > 0) {
                return true;
            }
            later = segments.higherEntry(later.getKey());
        }
        return false;
    }

    private void readFrom(long segment) {
        readSegment = segment;
        readOffset = 0;
        readIndex = 0;
    }

    /** Reads again from the last acknowledged record (after a lost connection: unacknowledged ones are resent). */
    public void rewind() {
        readSegment = cursorSegment;
        readOffset = cursorOffset;
        readIndex = cursorIndex;
    }

    /** Marks every record up to and including {@code e} acknowledged; consumed segments are deleted. */
    public void commit(Entry e) throws IOException {
        if (e.segment() < cursorSegment || (e.segment() == cursorSegment && e.end() <= cursorOffset)) {
            return; // dropped by the cap meanwhile, or already committed
        }
        cursorSegment = e.segment();
        cursorOffset = e.end();
        cursorIndex = e.index() + 1;
        cursorDirty = true;
        for (Long old : new ArrayList<>(segments.headMap(cursorSegment).keySet())) {
            segments.remove(old).delete();
        }
        JournalSegment s = segments.get(cursorSegment);
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
            s.delete();
            cursorSegment = next;
            cursorOffset = 0;
            cursorIndex = 0;
            if (readSegment <= s.number) {
                readFrom(next);
            }
        }
        refresh();
    }

    private boolean hasUnreadAfterCursor() {
        return segments.higherKey(cursorSegment) != null;
    }

    /** Forces appended records and the cursor to the device when {@code syncMillis} have passed (or always for 0). */
    public void sync(boolean now) throws IOException {
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
            cursorFile.write(cursorSegment, cursorOffset, cursorIndex);
            cursorDirty = false;
        }
        lastSync = t;
    }

    private long totalBytes() {
        long sum = 0;
        for (JournalSegment s : segments.values()) {
            sum += s.size;
        }
        return sum;
    }

    private void refresh() {
        bytes = totalBytes();
        long p = 0;
        for (JournalSegment s : segments.tailMap(cursorSegment, true).values()) {
            p += s.number == cursorSegment ? s.records - cursorIndex : s.records;
        }
        pending = p;
    }

    /** Records written and not yet acknowledged (they survive a restart). */
    public long pending() {
        return pending;
    }

    public long appended() {
        return appended;
    }

    public long dropped() {
        return dropped;
    }

    public long corrupt() {
        return corrupt;
    }

    public long bytes() {
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
