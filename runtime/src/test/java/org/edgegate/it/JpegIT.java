package org.edgegate.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.camera.JpegCodec;
import org.edgegate.api.camera.JpegImage;
import org.edgegate.api.camera.JpegPath;
import org.edgegate.api.health.HealthState;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/**
 * Issue 9: the source's JPEG passed through (MJPG .avi written here by OpenCV), re-encoding on request,
 * the codec services and how status tells which path and codec serve.
 */
@ExamReactorStrategy(PerClass.class)
public class JpegIT extends GatewayTestSupport {
    private static final String FACTORY_PID = "org.edgegate.camera";

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith(FACTORY_PID + "-");
    }

    @Test
    public void passthroughHandsOnTheFilesOwnJpegBytes() throws Exception {
        Path video = Videos.write(home().resolve("data/videos"), "pass.avi", 320, 240, 10);
        byte[] file = Files.readAllBytes(video);
        Recorder r = new Recorder("pass");
        Configuration c = createFactoryConfiguration(FACTORY_PID, "pass",
                Map.of("id", "pass", "source", video.toString(), "fps", 50, "jpeg", "passthrough"));
        try {
            await("25 frames (the 10-frame file in a loop)", DEFAULT_TIMEOUT, () -> r.jpegs.size() >= 25);
            for (byte[] j : r.jpegs) {
                assertTrue("a frame's JPEG is a chunk of the file, byte for byte", indexOf(file, j) >= 0);
            }
            long distinct = r.jpegs.stream().mapToInt(java.util.Arrays::hashCode).distinct().count();
            assertTrue("the loop comes round to the same bytes: " + distinct + " distinct", distinct >= 2 && distinct <= 10);
            Camera cam = camera("pass");
            assertEquals(HealthState.OPEN, cam.health().state());
            JpegPath path = cam.jpegPath();
            assertEquals(path.toString(), JpegPath.Mode.PASSTHROUGH, path.mode());
            assertTrue(path.toString(), path.reason().contains("MJPG"));
            assertEquals("nothing encoded", 0.0, cam.statistics().meanEncodeMillis(), 0);
            Frame latest = cam.latest().orElseThrow();
            assertTrue(indexOf(file, latest.jpeg()) >= 0);
            assertEquals("pixels decoded on demand", 320 * 240 * 3, latest.bgr().length);
            assertEquals("320x240", Videos.decodedSize(latest.jpeg()));

            String out = gogo("gw:cameras");
            assertTrue(out, out.contains("jpeg: passthrough: the file's MJPG frames"));
        } finally {
            r.close();
            c.delete();
        }
    }

    @Test
    public void encodeDecodesAndEncodesAgainAtTheQuality() throws Exception {
        Path video = Videos.write(home().resolve("data/videos"), "enc.avi", 320, 240, 10);
        byte[] file = Files.readAllBytes(video);
        Recorder r = new Recorder("enc");
        Configuration c = createFactoryConfiguration(FACTORY_PID, "enc",
                Map.of("id", "enc", "source", video.toString(), "fps", 50, "jpeg", "encode", "quality", 60));
        try {
            await("10 frames", DEFAULT_TIMEOUT, () -> r.jpegs.size() >= 10);
            for (byte[] j : r.jpegs) {
                assertTrue("re-encoded, not the file's bytes", indexOf(file, j) < 0);
                assertEquals("320x240", Videos.decodedSize(j));
            }
            Camera cam = camera("enc");
            JpegPath path = cam.jpegPath();
            assertEquals(path.toString(), JpegPath.Mode.ENCODE, path.mode());
            assertFalse(path.toString(), path.codec().isEmpty());
            assertTrue(cam.statistics().meanEncodeMillis() > 0);
        } finally {
            r.close();
            c.delete();
        }
    }

    @Test
    public void passthroughOfThePatternFailsWithAClearReason() throws Exception {
        Configuration bad = createFactoryConfiguration(FACTORY_PID, "patpass",
                Map.of("id", "patpass", "source", "pattern:", "jpeg", "passthrough"));
        Configuration auto = createFactoryConfiguration(FACTORY_PID, "patauto",
                Map.of("id", "patauto", "source", "pattern:", "width", 160, "height", 120));
        try {
            Camera b = camera("patpass");
            assertEquals(HealthState.FAILED, b.health().state());
            assertTrue(b.health().reason(), b.health().reason().contains("jpeg=passthrough")
                    && b.health().reason().contains("no JPEG to pass through"));
            String status = gogo("gw:status");
            assertTrue(status, status.contains("patpass") && status.contains("jpeg=passthrough"));

            Camera a = camera("patauto");
            await("the pattern with jpeg=auto runs", DEFAULT_TIMEOUT, () -> a.latest().isPresent());
            JpegPath path = a.jpegPath();
            assertEquals(JpegPath.Mode.ENCODE, path.mode());
            assertTrue(path.toString(), path.reason().contains("pattern"));
            assertEquals("160x120", Videos.decodedSize(a.latest().orElseThrow().jpeg()));
        } finally {
            bad.delete();
            auto.delete();
        }
    }

    @Test
    public void passthroughOfAFileThatIsNotAnAviFails() throws Exception {
        Path notAvi = home().resolve("data/videos/clip.mjpeg");
        Files.createDirectories(notAvi.getParent());
        Files.write(notAvi, new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0});
        Configuration c = createFactoryConfiguration(FACTORY_PID, "notavi",
                Map.of("id", "notavi", "source", notAvi.toString(), "jpeg", "passthrough"));
        try {
            Camera cam = camera("notavi");
            await("FAILED", DEFAULT_TIMEOUT, () -> cam.health().state() == HealthState.FAILED);
            assertTrue(cam.health().reason(), cam.health().reason().contains("not an AVI"));
        } finally {
            c.delete();
        }
    }

    @Test
    public void theTurboJpegCodecServesWhereLibturbojpegIsInstalled() throws Exception {
        JpegCodec turbo = awaitService(JpegCodec.class, "(" + JpegCodec.NAME + "=turbojpeg)", DEFAULT_TIMEOUT);
        assertEquals("the highest ranked codec", "turbojpeg", bestCodec().name());
        assertTrue(turbo.description(), turbo.description().contains("libjpeg-turbo"));
        await("gw:status names the codec in use", DEFAULT_TIMEOUT, () -> status().matches("(?s).*codec\\s+jpeg\\s+OPEN\\s+\\S+\\s+turbojpeg: .*"));

        Configuration c = createFactoryConfiguration(FACTORY_PID, "turbo",
                Map.of("id", "turbo", "source", "pattern:", "width", 480, "height", 320, "fps", 25));
        try {
            Camera cam = camera("turbo");
            Frame f = awaitValue("a frame", DEFAULT_TIMEOUT, () -> cam.latest().orElse(null));
            JpegPath path = cam.jpegPath();
            assertEquals(path.toString(), JpegPath.Mode.ENCODE, path.mode());
            assertEquals(path.toString(), "turbojpeg", path.codec());
            // The frame's JPEG is what the turbojpeg codec makes of its pixels.
            assertArrayEquals(turbo.encode(f.bgr(), 480, 320, 95), f.jpeg());
            assertEquals("480x320", Videos.decodedSize(f.jpeg()));
            JpegImage back = turbo.decode(f.jpeg());
            assertEquals(480, back.width());
            assertEquals(320, back.height());
        } finally {
            c.delete();
        }
    }

    @Test
    public void stoppingTheTurboJpegBundleHandsOverToOpenCvWithoutStoppingCapture() throws Exception {
        awaitService(JpegCodec.class, "(" + JpegCodec.NAME + "=turbojpeg)", DEFAULT_TIMEOUT);
        Bundle bundle = bundleNamed("org.edgegate.jpeg-turbo");
        AtomicLong failures = new AtomicLong();
        List<String> sizes = new CopyOnWriteArrayList<>();
        AtomicLong seen = new AtomicLong();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(FrameListener.CAMERA_ID, "hot");
        ServiceRegistration<FrameListener> l = context.registerService(FrameListener.class, frame -> {
            try {
                byte[] j = frame.jpeg();
                if (seen.incrementAndGet() % 10 == 0) {
                    sizes.add(Videos.decodedSize(j));
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
        }, props);
        Configuration c = createFactoryConfiguration(FACTORY_PID, "hot",
                Map.of("id", "hot", "source", "pattern:", "width", 320, "height", 240, "fps", 100));
        try {
            Camera cam = camera("hot");
            await("frames encoded by turbojpeg", DEFAULT_TIMEOUT,
                    () -> seen.get() > 50 && "turbojpeg".equals(cam.jpegPath().codec()));
            long thread = threadCount("edgegate-camera-hot");

            bundle.stop();
            long at = seen.get();
            await("opencv serves", DEFAULT_TIMEOUT, () -> "opencv".equals(cam.jpegPath().codec()));
            await("frames go on", DEFAULT_TIMEOUT, () -> seen.get() > at + 50);
            assertEquals("opencv", bestCodec().name());
            assertEquals(HealthState.OPEN, cam.health().state());
            assertEquals("the same capture thread", thread, threadCount("edgegate-camera-hot"));
            assertTrue(status().matches("(?s).*codec\\s+jpeg\\s+OPEN\\s+\\S+\\s+opencv: .*"));

            bundle.start();
            awaitService(JpegCodec.class, "(" + JpegCodec.NAME + "=turbojpeg)", DEFAULT_TIMEOUT);
            long back = seen.get();
            await("turbojpeg serves again", DEFAULT_TIMEOUT,
                    () -> "turbojpeg".equals(cam.jpegPath().codec()) && seen.get() > back + 50);
            assertEquals("no frame failed across the hand-overs", 0, failures.get());
            assertEquals(List.of("320x240"), sizes.stream().distinct().toList());
        } finally {
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
            l.unregister();
            c.delete();
        }
    }

    @Test
    public void everyCodecEncodesFromNativeMemoryAsFromBytes() throws Exception {
        Videos.opencv();
        org.opencv.core.Mat m = new org.opencv.core.Mat(120, 160, org.opencv.core.CvType.CV_8UC3,
                new org.opencv.core.Scalar(200, 40, 90));
        org.opencv.imgproc.Imgproc.circle(m, new org.opencv.core.Point(60, 60), 30,
                new org.opencv.core.Scalar(0, 255, 255), -1);
        byte[] px = new byte[160 * 120 * 3];
        m.get(0, 0, px);
        try {
            for (String name : List.of("opencv", "turbojpeg")) {
                JpegCodec codec = awaitService(JpegCodec.class, "(" + JpegCodec.NAME + "=" + name + ")", DEFAULT_TIMEOUT);
                byte[] fromBytes = codec.encode(px, 160, 120, 90);
                assertArrayEquals(name, fromBytes, codec.encode(m.dataAddr(), 160, 120, (int) m.step1(0), 90));
                assertEquals(name, "160x120", Videos.decodedSize(fromBytes));
            }
        } finally {
            m.release();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private JpegCodec bestCodec() throws Exception {
        var refs = new java.util.ArrayList<>(context.getServiceReferences(JpegCodec.class, null));
        java.util.Collections.sort(refs);
        return context.getService(refs.get(refs.size() - 1));
    }

    private String status() {
        try {
            return gogo("gw:status");
        } catch (Exception e) {
            return e.toString();
        }
    }

    private Camera camera(String id) {
        return awaitService(Camera.class, "(id=" + id + ")", DEFAULT_TIMEOUT);
    }

    /** Keeps every frame's JPEG. */
    private final class Recorder implements FrameListener, AutoCloseable {
        final List<byte[]> jpegs = new CopyOnWriteArrayList<>();
        final ServiceRegistration<FrameListener> registration;

        Recorder(String cameraId) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(FrameListener.CAMERA_ID, cameraId);
            registration = context.registerService(FrameListener.class, this, props);
        }

        @Override
        public void frameReceived(Frame frame) {
            jpegs.add(frame.jpeg());
        }

        @Override
        public void close() {
            registration.unregister();
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
