package org.edgegate.camera.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.edgegate.camera.internal.jpeg.JpegMode;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.SourceSpec;
import org.junit.Test;

public class SettingsTest {

    @Test
    public void sourcesAreRecognised() {
        SourceSpec index = SourceSpec.parse(" 2 ");
        assertEquals(SourceSpec.Kind.DEVICE, index.kind());
        assertEquals(2, index.index());
        assertEquals(Paths.get("/dev/video2"), index.presence());

        SourceSpec dev = SourceSpec.parse("/dev/video4");
        assertEquals(SourceSpec.Kind.DEVICE, dev.kind());
        assertEquals(-1, dev.index());
        assertEquals(Paths.get("/dev/video4"), dev.presence());

        SourceSpec file = SourceSpec.parse("clips/a.avi");
        assertEquals(SourceSpec.Kind.FILE, file.kind());
        assertEquals("clips/a.avi", file.text());
        assertTrue(file.presence().isAbsolute());
        assertEquals("/tmp/b.avi", SourceSpec.parse("file:/tmp/b.avi").text());

        SourceSpec pattern = SourceSpec.parse("pattern:");
        assertEquals(SourceSpec.Kind.PATTERN, pattern.kind());
        assertNull(pattern.presence());
    }

    @Test
    public void everySourceHasTheSchemeOfItsProvider() {
        assertEquals("device", SourceSpec.parse("0").scheme());
        assertEquals("device", SourceSpec.parse("/dev/video0").scheme());
        assertEquals("file", SourceSpec.parse("clips/a.avi").scheme());
        assertEquals("file", SourceSpec.parse("file:/tmp/b.avi").scheme());
        assertEquals("pattern", SourceSpec.parse("pattern:").scheme());
        SourceSpec http = SourceSpec.parse("HTTP://cam.local:8080/stream");
        assertEquals(SourceSpec.Kind.PLUGIN, http.kind());
        assertEquals("http", http.scheme());
        assertNull(http.presence());
        assertEquals("rtsp", SourceSpec.parse("rtsp://cam/1").scheme());
        // one letter is a Windows drive, not a scheme
        assertEquals(SourceSpec.Kind.FILE, SourceSpec.parse("C:/clips/a.avi").kind());
    }

    @Test
    public void aPasswordInTheSourceIsNeverShown() {
        assertEquals("http://admin:***@cam.local/video?x=a@b",
                SourceSpec.parse("http://admin:s3cret@cam.local/video?x=a@b").shown());
        assertEquals("http://admin@cam.local/", SourceSpec.parse("http://admin@cam.local/").shown());
        assertEquals("http://cam.local:81/stream", SourceSpec.parse("http://cam.local:81/stream").shown());
        assertEquals("https://u:***@h", SourceSpec.parse("https://u:p@h").shown());
    }

    @Test
    public void emptySourceIsRejected() {
        expectProblem(() -> SourceSpec.parse("  "), "source is empty");
        expectProblem(() -> SourceSpec.parse("99999999999"), "out of range");
    }

    @Test
    public void settingsAreChecked() {
        CameraSettings ok = settings("cam0", 480, 320, 25, 95, "MJPG");
        assertEquals("camera/cam0/enabled", ok.enabledKey());
        expectProblem(() -> settings("cam 0", 0, 0, 0, 95, ""), "may hold only letters");
        expectProblem(() -> settings("a/b", 0, 0, 0, 95, ""), "may hold only letters");
        expectProblem(() -> settings("", 0, 0, 0, 95, ""), "is empty");
        expectProblem(() -> settings("c".repeat(5 << 20), 0, 0, 0, 95, ""), "... (5242880 characters)' is 5242880");
        expectProblem(() -> settings("c", 640, 0, 0, 95, ""), "both width and height");
        expectProblem(() -> settings("c", -1, -1, 0, 95, ""), "width and height");
        expectProblem(() -> settings("c", 0, 0, -5, 95, ""), "fps");
        expectProblem(() -> settings("c", 0, 0, Double.NaN, 95, ""), "fps");
        expectProblem(() -> settings("c", 0, 0, 0, 0, ""), "quality");
        expectProblem(() -> settings("c", 0, 0, 0, 101, ""), "quality");
        expectProblem(() -> settings("c", 0, 0, 0, 90, "MJPEG"), "fourcc");
        expectProblem(() -> new CameraSettings("c", SourceSpec.parse("pattern:"), 0, 0, 0, true, 90, true, "", 5, 100),
                "reconnect");
    }

    @Test
    public void enabledValuesIncludeTheSeedsNumbers() {
        assertEquals(Boolean.TRUE, EnabledSwitch.parse(true));
        assertEquals(Boolean.TRUE, EnabledSwitch.parse(1L));
        assertEquals(Boolean.FALSE, EnabledSwitch.parse(0L));
        assertEquals(Boolean.FALSE, EnabledSwitch.parse(" OFF "));
        assertEquals(Boolean.TRUE, EnabledSwitch.parse("yes"));
        assertNull(EnabledSwitch.parse("maybe"));
        assertNull(EnabledSwitch.parse(new byte[] {1}));
    }

    @Test
    public void pacerKeepsTheRateWithoutBursts() {
        Pacer p = new Pacer(25);
        long period = 40_000_000L;
        assertEquals(0, p.waitNanos(1_000));
        assertEquals(period - 5_000_000L, p.waitNanos(1_000 + 5_000_000L));
        // a read that took long: no wait for the next, and no burst to catch up afterwards
        assertEquals(0, p.waitNanos(1_000 + 10 * period));
        assertEquals(period, p.waitNanos(1_000 + 10 * period));
        assertEquals(0, new Pacer(0).waitNanos(123));
    }

    @Test
    public void backoffDoublesUpToItsMaximumAndResets() {
        org.edgegate.kernel.Backoff b = new org.edgegate.kernel.Backoff(100, 500, 0, () -> 0); // no jitter
        assertEquals(100, b.next());
        assertEquals(200, b.next());
        assertEquals(400, b.next());
        assertEquals(500, b.next());
        assertEquals(500, b.next());
        b.reset();
        assertEquals(100, b.next());
    }

    @Test
    public void onlyOpenpnpsOwnTemporaryCopyIsEverDeleted() {
        Path tmp = Paths.get("/tmp");
        assertEquals(Paths.get("/tmp/opencv_openpnp123"), OpenCvNative.extractionDir(
                Paths.get("/tmp/opencv_openpnp123/nu/pattern/opencv/linux/x86_64/libopencv_java490.so"), tmp));
        assertNull(OpenCvNative.extractionDir(Paths.get("/usr/lib/jni/libopencv_java490.so"), tmp));
        assertNull(OpenCvNative.extractionDir(Paths.get("/tmp/mine/libopencv_java490.so"), tmp));
    }

    @Test
    public void theJpegPathIsChecked() {
        assertEquals(JpegMode.AUTO, JpegMode.parse(null));
        assertEquals(JpegMode.AUTO, JpegMode.parse(" Auto "));
        assertEquals(JpegMode.PASSTHROUGH, JpegMode.parse("passthrough"));
        assertEquals(JpegMode.ENCODE, JpegMode.parse("ENCODE"));
        expectProblem(() -> JpegMode.parse("raw"), "jpeg must be auto, passthrough or encode");
        expectProblem(() -> jpeg("pattern:", "", JpegMode.PASSTHROUGH), "no JPEG to pass through");
        expectProblem(() -> jpeg("/dev/video0", "YUYV", JpegMode.PASSTHROUGH), "needs fourcc MJPG");
        assertEquals(JpegMode.PASSTHROUGH, jpeg("/dev/video0", "MJPG", JpegMode.PASSTHROUGH).jpeg());
        assertEquals(JpegMode.PASSTHROUGH, jpeg("clip.avi", "", JpegMode.PASSTHROUGH).jpeg());
        assertEquals(JpegMode.ENCODE, jpeg("pattern:", "", JpegMode.ENCODE).jpeg());
        assertEquals("the default", JpegMode.AUTO, settings("c", 0, 0, 0, 90, "").jpeg());
    }

    private static CameraSettings jpeg(String source, String fourcc, JpegMode mode) {
        return new CameraSettings("j", SourceSpec.parse(source), 0, 0, 0, true, 90, true, fourcc, 100, 1000, mode);
    }

    static CameraSettings settings(String id, int w, int h, double fps, int quality, String fourcc) {
        return new CameraSettings(id, SourceSpec.parse("pattern:"), w, h, fps, true, quality, true, fourcc, 100, 1000);
    }

    private static void expectProblem(Runnable r, String fragment) {
        try {
            r.run();
            fail("expected a problem mentioning " + fragment);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }
}
