package org.edgegate.serial.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

public class LineFramerTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Integer> overlong = new ArrayList<>();

    private LineFramer framer(String terminator, int max) {
        return framer(terminator, max, StandardCharsets.UTF_8);
    }

    private LineFramer framer(String terminator, int max, Charset charset) {
        return new LineFramer(terminator.getBytes(StandardCharsets.US_ASCII), charset, max, new LineFramer.Sink() {
            @Override
            public void line(String line) {
                lines.add(line);
            }

            @Override
            public void overlong(int bytes) {
                overlong.add(bytes);
            }
        });
    }

    private static void feed(LineFramer f, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        f.feed(b, 0, b.length);
    }

    @Test
    public void linesEndAtTheTerminator() {
        LineFramer f = framer("\n", 64);
        feed(f, "T-25-H-60\nT-26-H-61\r\npart");
        assertEquals(List.of("T-25-H-60", "T-26-H-61\r"), lines);
        feed(f, "ial\n");
        assertEquals("partial", lines.get(2));
    }

    @Test
    public void crLfTerminatorSplitAcrossReads() {
        LineFramer f = framer("\r\n", 64);
        feed(f, "a\rb\r");
        feed(f, "\nc\r\n");
        assertEquals(List.of("a\rb", "c"), lines);
    }

    @Test
    public void crTerminator() {
        LineFramer f = framer("\r", 64);
        feed(f, "a\rb\n\r");
        assertEquals(List.of("a", "b\n"), lines);
    }

    @Test
    public void byteByByteIsTheSameAsAtOnce() {
        LineFramer f = framer("\r\n", 64);
        for (byte b : "MQ2-123-L-456-MQ9-789\r\nT-1-H-2\r\n".getBytes(StandardCharsets.US_ASCII)) {
            f.feed(new byte[] {b}, 0, 1);
        }
        assertEquals(List.of("MQ2-123-L-456-MQ9-789", "T-1-H-2"), lines);
    }

    @Test
    public void aLineOfExactlyTheMaximumPassesOneByteMoreIsDroppedWhole() {
        LineFramer f = framer("\n", 8);
        feed(f, "12345678\n123456789\nok\n");
        assertEquals(List.of("12345678", "ok"), lines);
        assertEquals(1, overlong.size());
        assertEquals(10, (int) overlong.get(0));
    }

    @Test
    public void aVeryLongLineIsDroppedOnceAndTheNextLineIsIntact() {
        LineFramer f = framer("\r\n", 16);
        feed(f, "x".repeat(10_000));
        feed(f, "\r");
        feed(f, "\nT-1-H-2\r\n");
        assertEquals(List.of("T-1-H-2"), lines);
        assertEquals(1, overlong.size());
    }

    @Test
    public void maximumHoldsWithATwoByteTerminator() {
        LineFramer f = framer("\r\n", 4);
        feed(f, "1234\r\n12345\r\n");
        assertEquals(List.of("1234"), lines);
        assertEquals(1, overlong.size());
    }

    @Test
    public void nulAndBinaryNoiseNeverBreakFraming() {
        LineFramer f = framer("\n", 64);
        f.feed(new byte[] {0, 0, 'T', '-', '1', 0, (byte) 0xff, (byte) 0xc3, '\n', 'o', 'k', '\n'}, 0, 12);
        assertEquals(2, lines.size());
        assertEquals("\0\0T-1\0\ufffd\ufffd", lines.get(0));
        assertEquals("ok", lines.get(1));
    }

    @Test
    public void randomBytesNeverThrowAndLaterLinesSurvive() {
        LineFramer f = framer("\n", 32);
        byte[] noise = new byte[200_000];
        new Random(42).nextBytes(noise);
        f.feed(noise, 0, noise.length);
        f.feed("\nT-25-H-60\n".getBytes(StandardCharsets.US_ASCII), 0, 11);
        assertEquals("T-25-H-60", lines.get(lines.size() - 1));
    }

    @Test
    public void resetDropsAPartialLine() {
        LineFramer f = framer("\n", 64);
        feed(f, "T-2");
        assertTrue(f.reset());
        assertFalse(f.reset());
        feed(f, "5-H-60\n");
        assertEquals(List.of("5-H-60"), lines);
    }

    @Test
    public void charsetDecodes() {
        LineFramer f = framer("\n", 64, StandardCharsets.ISO_8859_1);
        f.feed(new byte[] {'2', '5', (byte) 0xb0, 'C', '\n'}, 0, 5);
        assertEquals(List.of("25°C"), lines);
    }
}
