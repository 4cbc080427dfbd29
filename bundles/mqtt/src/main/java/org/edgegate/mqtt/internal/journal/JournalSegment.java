package org.edgegate.mqtt.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One append-only segment file of a journal, {@code <number>.seg}: a run of {@link JournalRecord}s. */
final class JournalSegment {
    private static final String SUFFIX = ".seg";

    final long number;
    final Path path;
    /** Bytes of good records (where the next append goes in the last segment). */
    long size;
    long records;

    JournalSegment(long number, Path path) {
        this.number = number;
        this.path = path;
    }

    /** A new segment's file name in {@code dir}: the number in 16 digits, so names sort as numbers. */
    static JournalSegment in(Path dir, long number) {
        return new JournalSegment(number, dir.resolve(String.format("%016d%s", number, SUFFIX)));
    }

    /** The segment a file is, or null for a file that is not one of ours. */
    static JournalSegment of(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        try {
            return new JournalSegment(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), file);
        } catch (NumberFormatException notOurs) {
            return null; // leave foreign files alone
        }
    }

    /**
     * Counts the good records (sets {@link #size} and {@link #records}); cuts a torn tail off the last segment.
     *
     * @return whether a bad record ended the segment
     */
    boolean scan(long maxRecord, boolean last) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            long offset = 0;
            long count = 0;
            boolean bad = false;
            while (offset < fileSize) {
                ByteBuffer body = JournalRecord.read(ch, offset, fileSize, maxRecord);
                if (body == null) {
                    bad = true;
                    break;
                }
                offset += JournalRecord.HEADER + body.capacity();
                count++;
            }
            size = offset;
            records = count;
            if (offset < fileSize && last) {
                // a torn write at the end: cut it off so appends continue on a good boundary
                try (FileChannel w = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    w.truncate(offset);
                }
            }
            return bad;
        }
    }

    /** How many records lie before {@code offset}. */
    long indexAt(long offset) throws IOException {
        long index = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long at = 0;
            while (at < offset && at < size) {
                at += JournalRecord.HEADER + JournalRecord.lengthAt(ch, at);
                index++;
            }
        }
        return index;
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
