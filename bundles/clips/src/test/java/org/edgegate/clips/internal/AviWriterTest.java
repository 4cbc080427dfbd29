package org.edgegate.clips.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AviWriterTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    /** A fake JPEG of {@code n} bytes (the writer never looks inside), odd sizes included. */
    private static byte[] jpeg(int i, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) i);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        return b;
    }

    /** The frames as idx1 lists them, checked against the chunks they point to; the RIFF and movi sizes too. */
    private static List<byte[]> readIndexed(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", fourcc(b, 0));
        assertEquals("RIFF size", b.capacity() - 8, b.getInt(4));
        assertEquals("AVI ", fourcc(b, 8));
        assertEquals("movi", fourcc(b, 220));
        int moviEnd = 220 + b.getInt(216);
        assertEquals("idx1", fourcc(b, moviEnd));
        int entries = b.getInt(moviEnd + 4) / 16;
        assertEquals("avih frames", entries, b.getInt(32 + 16));
        assertEquals("strh length", entries, b.getInt(108 + 32));
        assertEquals("has index flag", 0x10, b.getInt(32 + 12));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            int at = moviEnd + 8 + i * 16;
            assertEquals("00dc", fourcc(b, at));
            int chunk = 220 + b.getInt(at + 8);
            int len = b.getInt(at + 12);
            assertEquals("00dc", fourcc(b, chunk));
            assertEquals(len, b.getInt(chunk + 4));
            frames.add(Arrays.copyOfRange(b.array(), chunk + 8, chunk + 8 + len));
        }
        return frames;
    }

    private static String fourcc(ByteBuffer b, int at) {
        return new String(b.array(), at, 4, StandardCharsets.ISO_8859_1);
    }

    @Test
    public void writesTheFramesAsGivenWithAnIndex() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("c.avi");
        List<byte[]> written = new ArrayList<>();
        try (AviWriter w = AviWriter.create(f, 640, 480, 0)) {
            for (int i = 0; i < 30; i++) {
                byte[] j = jpeg(i, 1000 + i); // odd and even lengths: pad bytes
                written.add(j);
                assertTrue(w.write(j));
                if (i % 10 == 0) {
                    w.sync(25);
                }
            }
            w.finish(12.5);
        }
        List<byte[]> read = readIndexed(f);
        assertEquals(30, read.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals("frame " + i, written.get(i), read.get(i));
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(640, b.getInt(64));
        assertEquals(480, b.getInt(68));
        assertEquals("rate/scale", 12_500, b.getInt(108 + 24));
        assertEquals(30, AviWriter.repair(f, 25)); // a complete file is left as it is
        assertEquals(30, readIndexed(f).size());
    }

    @Test
    public void aFileCutInsideAFrameIsRepairedUpToItsLastWholeFrame() throws IOException {
        for (int cut : new int[] {1, 7, 8, 9, 500}) {
            Path f = tmp.getRoot().toPath().resolve("cut" + cut + ".avi");
            long wholeEnd;
            try (AviWriter w = AviWriter.create(f, 320, 240, 25)) {
                for (int i = 0; i < 10; i++) {
                    w.write(jpeg(i, 1001));
                }
                w.sync(25);
                wholeEnd = w.bytes();
                w.write(jpeg(10, 1001));
            }
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(wholeEnd + cut); // the crash: the 11th frame's chunk is cut
            }
            assertEquals(10, AviWriter.repair(f, 25));
            List<byte[]> read = readIndexed(f);
            assertEquals(10, read.size());
            assertArrayEquals(jpeg(9, 1001), read.get(9));
        }
    }

    @Test
    public void aFileCutInItsLastPadByteKeepsTheFrame() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("pad.avi");
        long end;
        try (AviWriter w = AviWriter.create(f, 320, 240, 25)) {
            w.write(jpeg(0, 1001));
            end = w.bytes();
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(end - 1);
        }
        assertEquals(1, AviWriter.repair(f, 25));
        assertEquals(1, readIndexed(f).size());
    }

    @Test(expected = IOException.class)
    public void aFileNotOursIsNotTouched() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("other.avi");
        Files.write(f, new byte[300]);
        AviWriter.repair(f, 25);
    }
}
