package org.edgegate.mqtt.internal.journal;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Journal records read back from a damaged segment: a record is whole and checked, or null; nothing else
 * escapes. The second target gives every mutated body a valid length and checksum, so the body's own
 * fields (the topic length) are reached too.
 */
public class JournalRecordFuzzTest {
    private static final int MAX = 1 << 20;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] record(String topic, String payload) {
        ByteBuffer r = JournalRecord.encode(topic.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
        byte[] b = new byte[r.remaining()];
        r.get(b);
        return b;
    }

    private void readAll(Path file, byte[] segment) throws IOException {
        Files.write(file, segment);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = 0;
            ByteBuffer body;
            while ((body = JournalRecord.read(ch, offset, ch.size(), MAX)) != null) {
                JournalRecord.topic(body);
                JournalRecord.payload(body);
                offset += JournalRecord.HEADER + body.capacity();
            }
        }
    }

    @Test
    public void damagedSegments() {
        Path file = tmp.getRoot().toPath().resolve("segment");
        byte[] two = ByteBuffer.allocate(200).put(record("edgegate/gw/sensor/th", "{\"T\":25}"))
                .put(record("t", "")).array();
        int n = Fuzz.run("journal segment", List.of(record("a/b", "payload"), two), input -> readAll(file, input),
                IOException.class);
        assertTrue(n > 0);
    }

    @Test
    public void checkedBodiesWithBadFields() {
        Path file = tmp.getRoot().toPath().resolve("segment");
        byte[] body = ("\u0000\u0003a/b" + "payload").getBytes(StandardCharsets.ISO_8859_1);
        int n = Fuzz.run("journal body", List.of(body, new byte[] {0, 0}), input -> {
            ByteBuffer r = ByteBuffer.allocate(JournalRecord.HEADER + input.length);
            CRC32C crc = new CRC32C();
            crc.update(input);
            r.putInt(input.length).putInt((int) crc.getValue()).put(input);
            readAll(file, r.array());
        }, IOException.class);
        assertTrue(n > 0);
    }
}
