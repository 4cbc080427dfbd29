package org.edgegate.camera.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.edgegate.api.camera.JpegImage;
import org.edgegate.camera.internal.jpeg.Jpeg;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.camera.internal.jpeg.JpegMode;
import org.edgegate.camera.internal.jpeg.OpenCvJpegCodec;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.AviFile;
import org.edgegate.camera.internal.source.AviMjpegSource;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.FrameSources;
import org.edgegate.camera.internal.source.SourceSpec;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** JPEG markers and Huffman tables, the AVI reader and the OpenCV codec, with the real OpenCV. */
public class JpegTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadOpenCv() {
        assertNull(OpenCvNative.ensureLoaded());
    }

    @Test
    public void ourAnnexKTablesAreTheOnesLibjpegWrites() {
        // libjpeg (OpenCV's encoder) writes the standard tables unless asked to optimise them.
        byte[] jpeg = encode(picture(64, 48, 1), 90);
        assertTrue(JpegMarkers.hasHuffmanTables(jpeg));
        byte[] theirs = huffmanTables(jpeg);
        byte[] ours = huffmanTables(JpegMarkers.STANDARD_DHT);
        assertArrayEquals(theirs, ours);
        assertSame("a JPEG with tables is left as it is", jpeg, JpegMarkers.withStandardHuffmanTables(jpeg));
    }

    @Test
    public void aJpegWithoutHuffmanTablesDecodesOnceTheyAreInserted() {
        Mat m = picture(320, 240, 5);
        byte[] jpeg = encode(m, 85);
        byte[] stripped = withoutHuffmanTables(jpeg);
        assertFalse(JpegMarkers.hasHuffmanTables(stripped));
        // libjpeg-turbo and the JDK fill in the standard tables themselves; decoders that do not (hardware
        // decoders, strict parsers) refuse such a frame, so the tables must be in the bytes we hand on.

        byte[] fixed = JpegMarkers.withStandardHuffmanTables(stripped);
        assertTrue(JpegMarkers.hasHuffmanTables(fixed));
        java.awt.image.BufferedImage strict = strictDecode(fixed);
        assertNotNull("the JDK's decoder reads it once the tables are in", strict);
        assertEquals(320, strict.getWidth());
        assertEquals(240, strict.getHeight());
        Mat a = decode(jpeg);
        Mat b = decode(fixed);
        assertEquals(320, b.cols());
        assertEquals(240, b.rows());
        assertArrayEquals("the same pixels as the original", Jpeg.copyPixels(a), Jpeg.copyPixels(b));
        // And the decoder does use the tables we insert: a wrong one gives another picture (or none).
        byte[] wrong = fixed.clone();
        int at = indexOf(wrong, JpegMarkers.STANDARD_DHT) + 4 + 17 + 12 + 1 + 16; // first symbols of the luma AC table
        byte t = wrong[at];
        wrong[at] = wrong[at + 1];
        wrong[at + 1] = t;
        Mat c = decode(wrong);
        assertTrue("a wrong table changes the picture", c.empty() || !java.util.Arrays.equals(Jpeg.copyPixels(a), Jpeg.copyPixels(c)));
        a.release();
        b.release();
        c.release();
        m.release();
    }

    @Test
    public void sizeComesFromTheFrameHeader() {
        byte[] jpeg = encode(picture(123, 45, 0), 70);
        assertArrayEquals(new int[] {123, 45}, JpegMarkers.size(jpeg));
        assertNull(JpegMarkers.size(new byte[] {1, 2, 3, 4, 5}));
        assertNull(JpegMarkers.size(java.util.Arrays.copyOf(jpeg, 20)));
        assertNull(JpegMarkers.size(null));
    }

    @Test
    public void theAviReaderGivesTheStoredJpegOfEveryFrame() throws IOException {
        Path avi = writeVideo(tmp.getRoot().toPath().resolve("clip.avi"), 160, 120, 12);
        List<byte[]> ours = new ArrayList<>();
        try (AviFile f = AviFile.open(avi)) {
            assertEquals(12, f.frameCount());
            assertEquals(160, f.width());
            assertEquals(120, f.height());
            assertEquals(25.0, f.fps(), 0.01);
            assertTrue("OpenCV writes idx1", f.indexed());
            for (int i = 0; i < f.frameCount(); i++) {
                ours.add(f.frame(i));
            }
        }
        // Each chunk decodes to exactly the picture OpenCV's own AVI reader decodes for that frame.
        VideoCapture vc = new VideoCapture(avi.toString(), Videoio.CAP_OPENCV_MJPEG);
        assertTrue(vc.isOpened());
        Mat theirs = new Mat();
        for (int i = 0; i < ours.size(); i++) {
            assertTrue(vc.read(theirs));
            Mat mine = decode(ours.get(i));
            assertArrayEquals("frame " + i, Jpeg.copyPixels(theirs), Jpeg.copyPixels(mine));
            mine.release();
        }
        vc.release();
        theirs.release();

        // Without idx1 (renamed to JUNK), the movi list is walked and gives the same chunks.
        byte[] file = Files.readAllBytes(avi);
        int idx = indexOf(file, "idx1".getBytes(StandardCharsets.US_ASCII));
        assertTrue(idx > 0);
        System.arraycopy("JUNK".getBytes(StandardCharsets.US_ASCII), 0, file, idx, 4);
        Path noIndex = Files.write(avi.resolveSibling("noindex.avi"), file);
        try (AviFile f = AviFile.open(noIndex)) {
            assertFalse(f.indexed());
            assertEquals(ours.size(), f.frameCount());
            for (int i = 0; i < f.frameCount(); i++) {
                assertArrayEquals("frame " + i, ours.get(i), f.frame(i));
            }
        }
    }

    @Test
    public void whatIsNotAnMjpgAviIsToldApart() throws IOException {
        Path text = Files.writeString(tmp.getRoot().toPath().resolve("notes.avi"), "not a video at all");
        assertFalse(AviMjpegSource.looksLikeAvi(text));
        try {
            AviFile.open(text);
            fail();
        } catch (AviFile.NotMjpegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not an AVI"));
        }
        // A RIFF AVI whose only video chunk is not a JPEG.
        Path raw = tmp.getRoot().toPath().resolve("raw.avi");
        Files.write(raw, tinyAvi(new byte[] {1, 2, 3, 4}));
        assertTrue(AviMjpegSource.looksLikeAvi(raw));
        try {
            AviFile.open(raw);
            fail();
        } catch (AviFile.NotMjpegException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not MJPG"));
        }
        // The same with a JPEG chunk reads, without idx1 and without a frame rate.
        byte[] jpeg = encode(picture(32, 16, 2), 80);
        Files.write(raw, tinyAvi(jpeg));
        try (AviFile f = AviFile.open(raw)) {
            assertEquals(1, f.frameCount());
            assertFalse(f.indexed());
            assertArrayEquals(jpeg, f.frame(0));
        }
    }

    @Test
    public void theFileSourcePlaysTheChunksInALoopPaced() throws Exception {
        Path avi = writeVideo(tmp.getRoot().toPath().resolve("loop.avi"), 96, 64, 5);
        CameraSettings s = new CameraSettings("loop", SourceSpec.parse(avi.toString()), 0, 0, 0, true, 80, true, "",
                100, 1000, JpegMode.PASSTHROUGH);
        FrameSource src = FrameSources.of(s.forSource());
        assertTrue(src instanceof AviMjpegSource);
        src.open();
        try {
            assertTrue(src.deliversJpeg());
            assertEquals(96, src.width());
            assertEquals(25.0, src.pace(), 0.01);
            List<byte[]> seen = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                seen.add(src.readJpeg());
            }
            assertArrayEquals("frame 5 is frame 0 again", seen.get(0), seen.get(5));
            assertArrayEquals(seen.get(1), seen.get(11));
            assertFalse(java.util.Arrays.equals(seen.get(0), seen.get(1)));
            assertNull(src.lostReason());
        } finally {
            src.close();
        }
    }

    @Test
    public void passthroughFramesHandOnTheSourceBytesAndDecodeOnceOnDemand() throws Exception {
        byte[] jpeg = encode(picture(64, 48, 3), 75);
        CameraStats stats = new CameraStats();
        JpegCodecs codecs = new JpegCodecs();
        CapturedFrame f = new CapturedFrame("p", 1, 0, 0, jpeg, 64, 48, false, 90, codecs, stats);
        assertSame(jpeg, f.jpeg());
        assertTrue(f.isPassthrough());
        assertEquals("nothing decoded until asked", 0, stats.decodes());
        byte[] px = f.bgr();
        assertEquals(64 * 48 * 3, px.length);
        assertSame(px, f.bgr());
        assertEquals(1, stats.decodes());
        assertEquals(0, stats.encodes());

        CapturedFrame again = new CapturedFrame("p", 2, 0, 0, jpeg, 64, 48, true, 60, codecs, stats);
        byte[] re = again.jpeg();
        assertFalse(java.util.Arrays.equals(jpeg, re));
        assertSame(re, again.jpeg());
        assertEquals(1, stats.encodes());
        Mat d = decode(re);
        assertEquals(64, d.cols());
        assertEquals(48, d.rows());
        d.release();
    }

    @Test
    public void theOpenCvCodecRoundTrips() {
        OpenCvJpegCodec codec = new OpenCvJpegCodec();
        assertTrue(codec.description(), codec.description().startsWith("OpenCV "));
        // What counts is "SIMD Support:" (NO in this build on x86-64), not the "SIMD Support Request" line above it.
        java.util.regex.Matcher simd = java.util.regex.Pattern.compile("JPEG:[^\\n]*\\n(?:[^\\n]*\\n)*?\\s*SIMD Support:\\s*(\\w+)")
                .matcher(Core.getBuildInformation());
        assertTrue(simd.find());
        assertTrue(codec.description(), codec.description().endsWith(", SIMD " + simd.group(1) + ")"));
        Mat m = picture(200, 100, 4);
        byte[] px = Jpeg.copyPixels(m);
        byte[] fromBytes = codec.encode(px, 200, 100, 95);
        byte[] fromMemory = codec.encode(m.dataAddr(), 200, 100, (int) m.step1(0), 95);
        assertArrayEquals("the same picture whichever way it is handed over", fromBytes, fromMemory);
        JpegImage img = codec.decode(fromBytes);
        assertEquals(200, img.width());
        assertEquals(100, img.height());
        assertTrue("close to the original: " + meanError(px, img.bgr()), meanError(px, img.bgr()) < 3);
        try {
            codec.decode(new byte[] {1, 2, 3});
            fail();
        } catch (IllegalArgumentException expected) {
            // bad input is the caller's, said so
        }
        m.release();
    }

    @Test
    public void theBestCodecServesAndOneThatGoesMidCallHandsOver() {
        JpegCodecs codecs = new JpegCodecs();
        assertEquals("opencv", codecs.best().name());
        Mat m = picture(64, 48, 6);
        byte[] byOpenCv = codecs.encode(m, 90);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // A codec (not OpenCV's, so the Mat's memory is handed over) whose bundle stops during the call.
        org.edgegate.api.camera.JpegCodec leaving = new org.edgegate.api.camera.JpegCodec() {
            public String name() {
                return "leaving";
            }

            public String description() {
                return "test";
            }

            public byte[] encode(long address, int width, int height, int stride, int quality) {
                calls.incrementAndGet();
                codecs.unbindCodec(this);
                throw new IllegalStateException("stopped");
            }

            public byte[] encode(byte[] bgr, int width, int height, int quality) {
                throw new IllegalStateException("unused");
            }

            public JpegImage decode(byte[] jpeg) {
                throw new IllegalStateException("unused");
            }
        };
        codecs.bindCodec(new OpenCvJpegCodec(), java.util.Map.of("service.id", 1L, "service.ranking", 0));
        codecs.bindCodec(leaving, java.util.Map.of("service.id", 2L, "service.ranking", 100));
        assertEquals("the higher ranking serves", "leaving", codecs.best().name());
        assertTrue(codecs.health().reason(), codecs.health().reason().startsWith("leaving: test; also opencv"));
        assertArrayEquals("handed over to the next codec within the call", byOpenCv, codecs.encode(m, 90));
        assertEquals(1, calls.get());
        assertEquals("opencv", codecs.best().name());
        try {
            codecs.decode(new byte[] {1, 2, 3});
            fail("bad input is not retried elsewhere, it is the caller's");
        } catch (IllegalArgumentException expected) {
            // said so
        }
        m.release();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static double meanError(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return sum / (double) a.length;
    }

    static Mat picture(int w, int h, int seed) {
        Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(40 + seed * 10, 90, 160));
        Imgproc.circle(m, new Point(w / 3.0, h / 2.0), Math.max(3, h / 4), new Scalar(0, 0, 255), -1);
        Imgproc.putText(m, "t" + seed, new Point(2, h - 4), Imgproc.FONT_HERSHEY_SIMPLEX, 0.4, new Scalar(255, 255, 255));
        return m;
    }

    static byte[] encode(Mat m, int quality) {
        return Jpeg.encode(m, quality);
    }

    /** The JDK's own JPEG decoder (javax.imageio): null when it cannot decode the bytes. */
    private static java.awt.image.BufferedImage strictDecode(byte[] jpeg) {
        try {
            return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Mat decode(byte[] jpeg) {
        return Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
    }

    /** The bodies of all DHT segments, concatenated: the tables without segment framing. */
    private static byte[] huffmanTables(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = jpeg[0] == (byte) 0xFF && jpeg[1] == (byte) 0xD8 ? 2 : 0;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker == 0xC4) {
                out.write(jpeg, i + 4, len - 2);
            }
            if (marker == 0xDA) {
                break;
            }
            i += 2 + len;
        }
        return sortTables(out.toByteArray());
    }

    /** Tables by class and id, so the order of segments does not matter. */
    private static byte[] sortTables(byte[] body) {
        java.util.TreeMap<Integer, byte[]> byId = new java.util.TreeMap<>();
        int i = 0;
        while (i < body.length) {
            int n = 0;
            for (int k = 1; k <= 16; k++) {
                n += body[i + k] & 0xFF;
            }
            byId.put(body[i] & 0xFF, java.util.Arrays.copyOfRange(body, i, i + 17 + n));
            i += 17 + n;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byId.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] withoutHuffmanTables(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int i = 2;
        while (true) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xDA) {
                out.write(jpeg, i, jpeg.length - i);
                return out.toByteArray();
            }
            int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker != 0xC4) {
                out.write(jpeg, i, 2 + len);
            }
            i += 2 + len;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** RIFF AVI with one video stream (no rate) and one 00dc chunk, no idx1. */
    static byte[] tinyAvi(byte[] frame) {
        ByteBuffer strh = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        strh.put("vids".getBytes(StandardCharsets.US_ASCII)).put("MJPG".getBytes(StandardCharsets.US_ASCII));
        byte[] strl = list("strl", chunk("strh", strh.array()));
        byte[] avih = chunk("avih", new byte[56]);
        byte[] hdrl = list("hdrl", concat(avih, strl));
        byte[] movi = list("movi", chunk("00dc", frame));
        byte[] body = concat("AVI ".getBytes(StandardCharsets.US_ASCII), hdrl, movi);
        return concat("RIFF".getBytes(StandardCharsets.US_ASCII), le(body.length), body);
    }

    private static byte[] list(String type, byte[] content) {
        return chunk("LIST", concat(type.getBytes(StandardCharsets.US_ASCII), content));
    }

    private static byte[] chunk(String id, byte[] data) {
        byte[] pad = new byte[data.length & 1];
        return concat(id.getBytes(StandardCharsets.US_ASCII), le(data.length), data, pad);
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Path writeVideo(Path path, int w, int h, int frames) {
        VideoWriter vw = new VideoWriter(path.toString(), Videoio.CAP_OPENCV_MJPEG, VideoWriter.fourcc('M', 'J', 'P', 'G'),
                25, new Size(w, h));
        assertTrue(vw.isOpened());
        for (int i = 0; i < frames; i++) {
            Mat m = picture(w, h, i);
            vw.write(m);
            m.release();
        }
        vw.release();
        assertNotNull(Core.VERSION);
        return path;
    }
}
