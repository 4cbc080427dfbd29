package org.edgegate.camera.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.camera.internal.jpeg.Jpeg;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.PatternSource;
import org.edgegate.camera.internal.source.SourceSpec;
import org.edgegate.camera.internal.source.VideoCaptureSource;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** The capture pieces with the real OpenCV, outside OSGi. */
public class CaptureTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadOpenCv() {
        assertNull(OpenCvNative.ensureLoaded());
    }

    @Test
    public void patternDrawsMovingFramesOfTheRequestedSize() {
        PatternSource p = new PatternSource(SettingsTest.settings("pat", 320, 200, 0, 90, "").forSource());
        p.open();
        Mat a = new Mat();
        Mat b = new Mat();
        try {
            assertTrue(p.read(a, 1));
            assertTrue(p.read(b, 2));
            assertEquals(320, a.cols());
            assertEquals(200, a.rows());
            assertEquals(CvType.CV_8UC3, a.type());
            assertFalse("consecutive pattern frames differ", java.util.Arrays.equals(Jpeg.copyPixels(a), Jpeg.copyPixels(b)));
            assertEquals(25.0, p.pace(), 0);
        } finally {
            a.release();
            b.release();
            p.close();
        }
    }

    @Test
    public void jpegIsEncodedOnceAndSharedByConcurrentConsumers() throws Exception {
        BufferPool pool = new BufferPool();
        CameraStats stats = new CameraStats();
        CapturedFrame f = frame(pool, stats, 640, 480, 7);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(ex.submit((Callable<byte[]>) () -> {
                    go.await();
                    return f.jpeg();
                }));
            }
            go.countDown();
            byte[] first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<byte[]> r : results) {
                assertSame(first, r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, stats.encodes());
            Mat decoded = Imgcodecs.imdecode(new MatOfByte(first), Imgcodecs.IMREAD_COLOR);
            assertEquals(640, decoded.cols());
            assertEquals(480, decoded.rows());
            decoded.release();
        } finally {
            ex.shutdownNow();
        }
        f.release();
        // the JPEG outlives the pixels; the pixels went back to the pool
        assertNotNull(f.jpeg());
        assertEquals(1, pool.created());
        pool.close();
    }

    @Test
    public void pixelsOfARecycledFrameAreNotHandedOut() {
        BufferPool pool = new BufferPool();
        CapturedFrame f = frame(pool, new CameraStats(), 64, 48, 1);
        byte[] bgr = f.bgr();
        assertEquals(64 * 48 * 3, bgr.length);
        f.release();
        assertFalse(f.tryRetain());
        assertSame("made once, kept", bgr, f.bgr());
        try {
            f.jpeg();
            fail("a frame whose pixels went back to the pool cannot be encoded any more");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("recycled"));
        }
        pool.close();
    }

    /** The shm writer's path: one native copy into a heap array (never into a mapping), no shared copy made. */
    @Test
    public void copyBgrToAHeapArrayCopiesThePixelsOnceWithoutKeepingThem() {
        BufferPool pool = new BufferPool();
        CapturedFrame f = frame(pool, new CameraStats(), 64, 48, 7);
        int n = 64 * 48 * 3;
        byte[] target = new byte[n + 15]; // larger, as the shm writer's array after a smaller frame
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(target, 0, n);
        f.copyBgrTo(buffer);
        assertEquals(n, buffer.position());
        for (int i = 0; i < n; i += 3) {
            assertEquals("pixel " + i / 3, 7, target[i]);
            assertEquals(90, target[i + 1]);
            assertEquals((byte) 200, target[i + 2]);
        }
        assertEquals("past the frame, untouched", 0, target[n]);
        f.release();
        try {
            f.bgr();
            fail("copyBgrTo kept a shared copy of the pixels");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("recycled"));
        }
        pool.close();
    }

    @Test
    public void captureReusesAFewBuffersAtAnyRate() throws Exception {
        BufferPool pool = new BufferPool();
        CameraStats stats = new CameraStats();
        AtomicReference<CapturedFrame> slot = new AtomicReference<>();
        CameraSettings s = new CameraSettings("free", SourceSpec.parse("pattern:"), 320, 240, 0, false, 80, true, "",
                100, 1000);
        CountDownLatch enough = new CountDownLatch(1);
        CaptureLoop loop = new CaptureLoop(s, () -> new PatternSource(s.forSource()), pool, stats, new JpegCodecs(), 0, new CaptureLoop.Sink() {
            @Override
            public void opened(FrameSource source, JpegPlan plan) {
            }

            @Override
            public void frame(CapturedFrame frame) {
                CapturedFrame old = slot.getAndSet(frame);
                if (old != null) {
                    old.release();
                }
                if (frame.sequence() >= 300) {
                    enough.countDown();
                }
            }

            @Override
            public void unavailable(String reason, long retryMillis) {
                fail(reason);
            }

            @Override
            public void failed(String reason) {
                fail(reason);
            }
        });
        loop.start();
        assertTrue(enough.await(30, TimeUnit.SECONDS));
        assertTrue(loop.stop(5000));
        assertTrue("buffers made: " + pool.created(), pool.created() <= 3);
        assertTrue(stats.frames() >= 300);
        assertEquals(stats.frames(), loop.lastSequence());
        slot.get().release();
        pool.close();
    }

    @Test
    public void videoFileLoopsAndIsLostWhenDeleted() throws Exception {
        File avi = writeVideo(tmp.newFolder().toPath().resolve("clip.avi"), 160, 120, 10);
        CameraSettings s = new CameraSettings("file", SourceSpec.parse(avi.getPath()), 0, 0, 0, true, 80, true, "", 100,
                1000);
        VideoCaptureSource src = new VideoCaptureSource(s.forSource());
        src.open();
        Mat m = new Mat();
        try {
            assertEquals(160, src.width());
            assertEquals(120, src.height());
            assertEquals(25.0, src.pace(), 0.01);
            for (int i = 0; i < 25; i++) {
                assertTrue("frame " + i + " of a 10-frame file played in a loop", src.read(m, i + 1));
                assertEquals(160, m.cols());
            }
            assertNull(src.lostReason());
            Files.delete(avi.toPath());
            assertTrue(src.lostReason().startsWith("file removed"));
        } finally {
            m.release();
            src.close();
        }
        try {
            new VideoCaptureSource(s.forSource()).open();
            fail("a missing file cannot open");
        } catch (FrameSource.SourceException e) {
            assertTrue(e.getMessage().startsWith("file not found"));
        }
    }

    @Test
    public void placeholderSaysNoSignal() {
        PlaceholderFrame p = PlaceholderFrame.render("cam9", 480, 320, "stopped", 90);
        assertTrue(p.isPlaceholder());
        assertEquals(0, p.sequence());
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(p.jpeg()), Imgcodecs.IMREAD_COLOR);
        assertEquals(480, decoded.cols());
        assertEquals(320, decoded.rows());
        decoded.release();
        assertTrue(p.fits(480, 320, "stopped"));
        assertFalse(p.fits(480, 320, "reconnecting"));
        assertArrayEquals(p.bgr(), p.bgr());
    }

    static CapturedFrame frame(BufferPool pool, CameraStats stats, int w, int h, long seq) {
        Mat m = pool.take();
        m.create(h, w, CvType.CV_8UC3);
        m.setTo(new Scalar(seq % 255, 90, 200));
        return new CapturedFrame("t", seq, System.currentTimeMillis(), System.nanoTime(), m, 90, pool, new JpegCodecs(), stats);
    }

    static File writeVideo(Path path, int w, int h, int frames) {
        VideoWriter vw = new VideoWriter(path.toString(), Videoio.CAP_OPENCV_MJPEG, VideoWriter.fourcc('M', 'J', 'P', 'G'), 25, new Size(w, h));
        assertTrue(vw.isOpened());
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        for (int i = 0; i < frames; i++) {
            m.setTo(new Scalar(i * 20 % 255, 128, 255 - i * 20 % 255));
            vw.write(m);
        }
        vw.release();
        m.release();
        return path.toFile();
    }
}
