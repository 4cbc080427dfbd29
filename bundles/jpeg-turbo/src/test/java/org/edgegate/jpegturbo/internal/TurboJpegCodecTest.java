package org.edgegate.jpegturbo.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.edgegate.api.camera.JpegImage;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.sun.jna.Memory;

/** The codec over the real libturbojpeg.so.0 (Debian package libturbojpeg0, which ./test installs). */
public class TurboJpegCodecTest {
    private TurboJpegCodec codec;

    @Before
    public void load() {
        assertNull("libturbojpeg must be installed for these tests (./test installs libturbojpeg0)",
                TurboJpegLibrary.load("turbojpeg"));
        codec = new TurboJpegCodec(TurboJpegLibrary.describe());
    }

    @After
    public void close() {
        codec.close();
    }

    @Test
    public void roundTripKeepsSizeAndPicture() throws Exception {
        byte[] px = picture(480, 320);
        byte[] jpeg = codec.encode(px, 480, 320, 95);
        assertEquals(0xFF, jpeg[0] & 0xFF);
        assertEquals(0xD8, jpeg[1] & 0xFF);
        // Another decoder (the JDK's) reads it at the right size.
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(480, img.getWidth());
        assertEquals(320, img.getHeight());
        JpegImage back = codec.decode(jpeg);
        assertEquals(480, back.width());
        assertEquals(320, back.height());
        assertTrue("close to the original: " + meanError(px, back.bgr()), meanError(px, back.bgr()) < 3);
        // Blue stays blue: BGR order is kept (pixel 10,10 is pure blue in the picture).
        int i = (10 * 480 + 10) * 3;
        assertTrue(java.util.Arrays.toString(java.util.Arrays.copyOfRange(back.bgr(), i, i + 3)),
                (back.bgr()[i] & 0xFF) > 200 && (back.bgr()[i + 2] & 0xFF) < 50);
        assertTrue("quality matters", codec.encode(px, 480, 320, 30).length < jpeg.length);
    }

    @Test
    public void encodesStraightFromNativeMemoryWithAStride() {
        byte[] px = picture(100, 60);
        int stride = 100 * 3 + 64; // rows padded, as in a sub-matrix
        try (Memory m = new Memory((long) stride * 60)) {
            for (int y = 0; y < 60; y++) {
                m.write((long) y * stride, px, y * 300, 300);
            }
            byte[] fromMemory = codec.encode(Memory.nativeValue(m), 100, 60, stride, 90);
            assertArrayEquals(codec.encode(px, 100, 60, 90), fromMemory);
        }
    }

    @Test
    public void badInputIsTheCallersAndSaidSo() {
        try {
            codec.decode(new byte[] {1, 2, 3, 4, 5, 6});
            fail();
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("JPEG"));
        }
        try {
            codec.encode(new byte[10], 100, 100, 90);
            fail();
        } catch (IllegalArgumentException expected) {
            // too few bytes for the size
        }
    }

    @Test
    public void threadsEncodeAtOnceWithAHandleEachAndCloseStopsIt() throws Exception {
        byte[] px = picture(320, 240);
        byte[] expected = codec.encode(px, 320, 240, 80);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(ex.submit(() -> {
                    go.await();
                    return codec.encode(px, 320, 240, 80);
                }));
            }
            go.countDown();
            for (Future<byte[]> f : results) {
                assertArrayEquals(expected, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            ex.shutdownNow();
        }
        assertTrue("handles: " + codec.handles(), codec.handles() >= 1 && codec.handles() <= 5);
        codec.close();
        try {
            codec.encode(px, 320, 240, 80);
            fail("a closed codec does not encode");
        } catch (IllegalStateException expectedAfterClose) {
            assertTrue(expectedAfterClose.getMessage().contains("stopped"));
        }
    }

    /** Colour blocks and a gradient, BGR. */
    static byte[] picture(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (x < w / 4 && y < h / 2) {
                    px[i] = (byte) 255; // blue
                } else if (x < w / 2 && y < h / 2) {
                    px[i + 1] = (byte) 200; // green
                } else {
                    px[i] = (byte) (x * 255 / w);
                    px[i + 1] = (byte) (y * 255 / h);
                    px[i + 2] = (byte) 128;
                }
            }
        }
        return px;
    }

    static double meanError(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return sum / (double) a.length;
    }
}
