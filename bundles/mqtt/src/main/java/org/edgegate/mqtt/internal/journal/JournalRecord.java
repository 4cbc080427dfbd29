package org.edgegate.mqtt.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The journal's record format: {@code [int length][int CRC-32C of body][body]}, body
 * {@code [u16 topic length][topic UTF-8][payload]}.
 */
final class JournalRecord {
    static final int HEADER = 8;

    private JournalRecord() {
    }

    /** Body length of a record of this topic and payload. */
    static int length(byte[] topic, byte[] payload) {
        return 2 + topic.length + payload.length;
    }

    /** The whole record, ready to be written in one {@code write}. */
    static ByteBuffer encode(byte[] topic, byte[] payload) {
        int length = length(topic, payload);
        ByteBuffer record = ByteBuffer.allocate(HEADER + length);
        record.putInt(length).putInt(0).putShort((short) topic.length).put(topic).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER, length);
        record.putInt(4, (int) crc.getValue());
        record.flip();
        return record;
    }

    /**
     * The body of the record at {@code offset}, or null if its header does not fit before {@code size}, its length
     * is impossible (under 2 or over {@code maxLength}), its checksum is wrong or its topic length passes its end.
     */
    static ByteBuffer read(FileChannel ch, long offset, long size, long maxLength) throws IOException {
        if (size - offset < HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, offset);
        int length = header.getInt(0);
        if (length < 2 || length > maxLength || offset + HEADER + length > size) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + HEADER);
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        if ((int) crc.getValue() != header.getInt(4) || (body.getShort(0) & 0xffff) > length - 2) {
            return null; // a topic longer than its record: damaged however its checksum came out (found by fuzzing)
        }
        return body;
    }

    /** The body length in the header at {@code offset} (unchecked: for records already scanned). */
    static int lengthAt(FileChannel ch, long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, offset);
        return header.getInt(0);
    }

    static String topic(ByteBuffer body) {
        int topicLength = body.getShort(0) & 0xffff;
        return new String(body.array(), 2, topicLength, StandardCharsets.UTF_8);
    }

    static byte[] payload(ByteBuffer body) {
        int topicLength = body.getShort(0) & 0xffff;
        byte[] payload = new byte[body.capacity() - 2 - topicLength];
        System.arraycopy(body.array(), 2 + topicLength, payload, 0, payload.length);
        return payload;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long offset) throws IOException {
        long at = offset;
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + ch);
            }
            at += n;
        }
    }
}
