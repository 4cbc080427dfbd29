package org.edgegate.camera.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.Test;

/** The MJPEG part reader with what real servers send, and with what hostile ones send. */
public class MultipartReaderTest {
    private static final int MAX = 1000;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static InputStream stream(Object... pieces) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : pieces) {
            out.write(p instanceof byte[] b ? b : ascii((String) p));
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static byte[] jpeg(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        return b;
    }

    @Test
    public void partsWithALengthAsMjpgStreamerAndFfmpegSendThem() throws IOException {
        byte[] a = jpeg(300, 1);
        byte[] b = jpeg(200, 2);
        MultipartReader r = new MultipartReader(stream("--boundarydonotcross\r\nContent-Type: image/jpeg\r\n"
                + "Content-Length: 300\r\nX-Timestamp: 1.0\r\n\r\n", a, "\r\n--boundarydonotcross\r\n"
                + "Content-Type: image/jpeg\r\nContent-Length: 200\r\n\r\n", b, "\r\n--boundarydonotcross\r\n"),
                "boundarydonotcross", MAX);
        assertArrayEquals(a, r.next());
        assertArrayEquals(b, r.next());
        expect(r, "stream ended");
    }

    @Test
    public void partsWithoutALengthEndAtTheDelimiterAndTheBoundaryCanComeFromTheBody() throws IOException {
        byte[] a = jpeg(300, 3);
        byte[] b = jpeg(50, 4);
        // ESP32-CAM style without lengths; no boundary announced (found in the body, as from ffmpeg)
        MultipartReader r = new MultipartReader(stream("--123456789000000000000987654321\r\nContent-Type: image/jpeg\r\n\r\n",
                a, "\r\n--123456789000000000000987654321\r\n\r\n", b, "\r\n--123456789000000000000987654321--\r\n"),
                null, MAX);
        assertArrayEquals(a, r.next());
        assertArrayEquals(b, r.next());
        expect(r, "closing boundary");
    }

    @Test
    public void aBoundaryDeclaredWithItsDashesAndQuotedTypesAreUnderstood() throws IOException {
        assertEquals("frame", MultipartReader.boundaryOf("multipart/x-mixed-replace; boundary=\"frame\""));
        assertEquals("--myboundary", MultipartReader.boundaryOf("multipart/x-mixed-replace;boundary=--myboundary"));
        assertNull(MultipartReader.boundaryOf("image/jpeg"));
        byte[] a = jpeg(100, 5);
        MultipartReader r = new MultipartReader(stream("preamble\r\n--myboundary\r\nContent-Length: 100\r\n\r\n", a,
                "\r\n--myboundary\r\n"), "--myboundary", MAX);
        assertArrayEquals(a, r.next());
    }

    @Test
    public void aPartLargerThanTheBoundIsRefusedBeforeItsBytesAreRead() throws IOException {
        // 100 MB announced: refused from the header alone (no such body exists here to read)
        MultipartReader r = new MultipartReader(stream("--b\r\nContent-Length: 104857600\r\n\r\n", jpeg(10, 6)), "b", MAX);
        expect(r, "part of 104857600 bytes refused (at most 1000)");
        expect(new MultipartReader(stream("--b\r\nContent-Length: -1\r\n\r\n"), "b", MAX), "refused");
        expect(new MultipartReader(stream("--b\r\nContent-Length: 99999999999999999999\r\n\r\n"), "b", MAX),
                "bad Content-Length");
    }

    @Test
    public void anEndlessPartWithoutALengthStopsAtTheBound() throws IOException {
        InputStream endless = new InputStream() {
            private final byte[] head = ascii("--b\r\n\r\n");
            private long at;

            @Override
            public int read() {
                return at < head.length ? head[(int) at++] : (int) (at++ & 0x7F);
            }
        };
        expect(new MultipartReader(endless, "b", MAX), "part without a length longer than 1000 bytes refused");
    }

    @Test
    public void endlessHeaderLinesTooManyHeadersAndLongBoundariesAreRefused() throws IOException {
        InputStream endlessLine = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        expect(new MultipartReader(endlessLine, "b", MAX), "multipart line longer than 1024 bytes");
        StringBuilder many = new StringBuilder("--b\r\n");
        for (int i = 0; i < 40; i++) {
            many.append("X-").append(i).append(": y\r\n");
        }
        expect(new MultipartReader(stream(many.toString()), "b", MAX), "more than 32 header lines");
        try {
            new MultipartReader(stream(""), "x".repeat(201), MAX);
            fail("a 201-character boundary was accepted");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("boundary of 201 characters"));
        }
        // garbage with no delimiter at all: bounded too
        expect(new MultipartReader(stream("junk\r\n".repeat(400)), "b", MAX), "no multipart delimiter");
    }

    @Test
    public void aStreamCutInsideAPartSaysSo() throws IOException {
        expect(new MultipartReader(stream("--b\r\nContent-Length: 100\r\n\r\n", jpeg(40, 7)), "b", MAX),
                "stream ended inside a part (40 of 100 bytes)");
    }

    @Test
    public void randomGarbageNeverEscapesAsAnythingButAnIoException() {
        Random random = new Random(27);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            byte[] head = ascii("--b\r\n" + (random.nextBoolean() ? "Content-Length: " + random.nextInt(2000) + "\r\n" : ""));
            byte[] all = new byte[head.length + junk.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(junk, 0, all, head.length, junk.length);
            try {
                MultipartReader r = new MultipartReader(new ByteArrayInputStream(all), "b", MAX);
                for (int k = 0; k < 5; k++) {
                    assertTrue(r.next().length <= MAX);
                }
            } catch (IOException expected) {
                // refused with a reason: fine
            }
        }
    }

    private static void expect(MultipartReader r, String reason) throws IOException {
        try {
            byte[] b = r.next();
            fail("read " + b.length + " bytes, expected: " + reason);
        } catch (EOFException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(reason));
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(reason));
        }
    }
}
