package org.edgegate.serial.internal;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/**
 * Cuts a byte stream into lines at a terminator ({@code \n}, {@code \r\n} or {@code \r}) and decodes
 * them. Works on bytes, so a terminator split across reads and binary noise are handled the same;
 * undecodable bytes become U+FFFD. A line longer than {@code maxLength} bytes is dropped whole (its
 * rest is skipped up to the next terminator) and reported, never parsed in pieces.
 */
final class LineFramer {

    interface Sink {
        void line(String line);

        /** A line was too long and thrown away. */
        void overlong(int bytes);
    }

    private final byte[] terminator;
    private final byte[] buf;
    private final CharsetDecoder decoder;
    private final Sink sink;
    private int len;
    /** Bytes of the current overlong line seen so far; -1 while not skipping one. */
    private long skipped = -1;

    LineFramer(byte[] terminator, Charset charset, int maxLength, Sink sink) {
        if (terminator.length == 0) {
            throw new IllegalArgumentException("empty terminator");
        }
        this.terminator = terminator.clone();
        this.buf = new byte[maxLength + terminator.length];
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.sink = sink;
    }

    void feed(byte[] data, int off, int count) {
        int maxLength = buf.length - terminator.length;
        for (int i = off; i < off + count; i++) {
            byte b = data[i];
            if (skipped >= 0) {
                // only the terminator's last byte ends the skip; for \r\n, a lone \n ends it too (harmless)
                skipped++;
                if (b == terminator[terminator.length - 1]) {
                    sink.overlong((int) Math.min(Integer.MAX_VALUE, skipped));
                    skipped = -1;
                }
                continue;
            }
            buf[len++] = b;
            if (endsWithTerminator()) {
                emit(len - terminator.length);
                len = 0;
            } else if (len > maxLength + terminator.length - 1) {
                // cannot hold a terminator any more: the line is too long
                skipped = len;
                len = 0;
            }
        }
    }

    /** Forgets an unfinished line, e.g. after the device went away; returns whether there was one. */
    boolean reset() {
        boolean had = len > 0 || skipped >= 0;
        len = 0;
        skipped = -1;
        return had;
    }

    private boolean endsWithTerminator() {
        int t = terminator.length;
        if (len < t) {
            return false;
        }
        for (int i = 0; i < t; i++) {
            if (buf[len - t + i] != terminator[i]) {
                return false;
            }
        }
        return true;
    }

    private void emit(int count) {
        String line;
        try {
            line = decoder.reset().decode(ByteBuffer.wrap(buf, 0, count)).toString();
        } catch (CharacterCodingException cannotHappenWithReplace) {
            line = new String(buf, 0, count, decoder.charset());
        }
        sink.line(line);
    }
}
