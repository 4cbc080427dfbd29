package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.state.StateService;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/**
 * Issue 4 in the real runtime with the real OpenCV: video files written here by OpenCV's VideoWriter
 * (MJPG .avi), the pattern source, the shared state flag, listeners, loss and reconnect, and updates of
 * the camera bundle.
 */
@ExamReactorStrategy(PerClass.class)
public class CameraIT extends GatewayTestSupport {
    private static final String FACTORY_PID = "org.edgegate.camera";
    private static final String CAMERA_BSN = "org.edgegate.camera";

    @Override
    protected boolean includeEtcFile(String fileName) {
        // The demo camera would only add load; each test configures its own.
        return !fileName.startsWith(FACTORY_PID + "-");
    }

    @Test
    public void fileCamerasDeliverRisingSequencesAtTheirSizeSideBySide() throws Exception {
        Path a = writeVideo("side-a.avi", 320, 240, 12);
        Path b = writeVideo("side-b.avi", 160, 120, 12);
        Recorder ra = record("side-a");
        Recorder rb = record("side-b");
        Configuration ca = createFactoryConfiguration(FACTORY_PID, "side-a",
                Map.of("id", "side-a", "source", a.toString(), "width", 320, "height", 240, "fps", 50));
        Configuration cb = createFactoryConfiguration(FACTORY_PID, "side-b",
                Map.of("id", "side-b", "source", b.toString(), "width", 160, "height", 120, "fps", 50));
        try {
            // More frames than either file holds: the files play in a loop.
            await("30 frames from each camera", DEFAULT_TIMEOUT, () -> ra.frames.size() >= 30 && rb.frames.size() >= 30);
            for (Recorder r : List.of(ra, rb)) {
                for (int i = 1; i < r.frames.size(); i++) {
                    assertTrue("sequence rises strictly: " + r.sequences(),
                            r.frames.get(i).sequence() > r.frames.get(i - 1).sequence());
                }
            }
            assertEquals(List.of("320x240"), ra.decodedSizes());
            assertEquals(List.of("160x120"), rb.decodedSizes());

            Camera cam = camera("side-a");
            assertEquals(HealthState.OPEN, cam.health().state());
            assertEquals(320, cam.statistics().width());
            Frame latest = cam.latest().orElseThrow();
            assertEquals("side-a", latest.cameraId());
            assertFalse(latest.isPlaceholder());
            assertEquals(320 * 240 * 3, latest.bgr().length);
            assertTrue(camera("side-b").statistics().frames() > 0);
        } finally {
            ra.close();
            rb.close();
            ca.delete();
            cb.delete();
        }
    }

    @Test
    public void theSharedFlagStopsCaptureAndResumesIt() throws Exception {
        StateService state = awaitService(StateService.class);
        Configuration c = createFactoryConfiguration(FACTORY_PID, "flag",
                Map.of("id", "flag", "source", "pattern:", "width", 320, "height", 240, "fps", 25));
        // A control camera: its frames are the clock of "no frames while stopped" (no sleep, no wall clock).
        Configuration clock = createFactoryConfiguration(FACTORY_PID, "clock",
                Map.of("id", "clock", "source", "pattern:", "width", 160, "height", 120, "fps", 25));
        try {
            Camera cam = camera("flag");
            Camera control = camera("clock");
            await("frames", DEFAULT_TIMEOUT, () -> cam.statistics().frames() >= 5);
            assertEquals(Boolean.TRUE, state.get("camera/flag/enabled").orElseThrow().value());

            long t0 = System.nanoTime();
            state.put("camera/flag/enabled", false);
            await("capture stopped", DEFAULT_TIMEOUT,
                    () -> !cam.isRunning() && threadCount("edgegate-camera-flag") == 0);
            System.out.printf("CameraIT: flag off -> capture stopped: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals(HealthState.STOPPED, cam.health().state());
            long frames = cam.statistics().frames();
            assertTrue(cam.latest().isEmpty());
            Frame placeholder = cam.snapshot();
            assertTrue(placeholder.isPlaceholder());
            assertEquals("320x240", decodedSize(placeholder.jpeg()));
            long controlFrames = control.statistics().frames();
            await("10 frames of the control camera", DEFAULT_TIMEOUT, () -> control.statistics().frames() >= controlFrames + 10);
            assertEquals("no frames while stopped (the control camera captured 10 meanwhile)", frames,
                    cam.statistics().frames());
            clock.delete();
            clock = null;

            state.put("camera/flag/enabled", true);
            await("capture resumed", DEFAULT_TIMEOUT, () -> cam.statistics().frames() > frames + 5);
            Frame resumed = cam.latest().orElseThrow();
            assertTrue("sequence continues after a restart", resumed.sequence() > frames);

            // The same through Gogo, as an operator would.
            String out = gogo("gw:camera stop flag");
            assertTrue(out, out.contains("stopped"));
            assertEquals(Boolean.FALSE, state.get("camera/flag/enabled").orElseThrow().value());
            assertFalse(cam.isRunning());
            out = gogo("gw:cameras");
            assertTrue(out, out.matches("(?s).*flag\\s+pattern:\\s+STOPPED.*"));
            out = gogo("gw:cameras --json");
            assertTrue(out, out.contains("{\"id\":\"flag\",\"source\":\"pattern:\",\"state\":\"STOPPED\""));
            out = gogo("gw:camera start flag");
            assertTrue(out, out.contains("started"));
            out = gogo("help");
            assertTrue(out, out.contains("gw:camera") && out.contains("gw:cameras"));
            out = gogo("help camera");
            assertTrue(out, out.contains("start <camera id>") && out.contains("stop <camera id> - stop a camera and release its device"));
            out = gogo("gw:camera stop --help");
            assertTrue(out, out.contains("gw:camera stop <camera id>"));
            await("frames after gw:camera start", DEFAULT_TIMEOUT, () -> cam.latest().isPresent());
            Path jpg = home().resolve("data/flag.jpg");
            out = gogo("gw:snapshot flag " + jpg);
            assertTrue(out, out.contains("frame "));
            assertEquals("320x240", decodedSize(Files.readAllBytes(jpg)));
        } finally {
            c.delete();
            if (clock != null) {
                clock.delete();
            }
        }
    }

    @Test
    public void enabledFalseInTheConfigurationStartsStopped() throws Exception {
        Configuration c = createFactoryConfiguration(FACTORY_PID, "initial",
                Map.of("id", "initial", "source", "pattern:", "width", 160, "height", 120, "enabled", false));
        try {
            Camera cam = camera("initial");
            StateService state = awaitService(StateService.class);
            await("the configuration's enabled=false written", DEFAULT_TIMEOUT,
                    () -> Boolean.FALSE.equals(state.get("camera/initial/enabled").map(e -> e.value()).orElse(null)));
            assertEquals(HealthState.STOPPED, cam.health().state());
            assertEquals(0, threadCount("edgegate-camera-initial"));
            assertTrue(cam.snapshot().isPlaceholder());

            state.put("camera/initial/enabled", 1);
            await("running on the seed's 1", DEFAULT_TIMEOUT, () -> cam.latest().isPresent());
        } finally {
            c.delete();
        }
    }

    @Test
    public void theFlagOutlivesAnUpdateOfTheStateBundle() throws Exception {
        Configuration c = createFactoryConfiguration(FACTORY_PID, "outlive",
                Map.of("id", "outlive", "source", "pattern:", "width", 160, "height", 120));
        try {
            Camera cam = camera("outlive");
            await("running", DEFAULT_TIMEOUT, () -> cam.latest().isPresent());

            // The state bundle goes away and comes back with its persisted entries: the camera keeps running.
            bundleNamed("org.edgegate.state").update();
            StateService again = awaitService(StateService.class);
            assertEquals(Boolean.TRUE, again.get("camera/outlive/enabled").orElseThrow().value());
            long frames = cam.statistics().frames();
            await("still capturing", DEFAULT_TIMEOUT, () -> cam.statistics().frames() > frames + 3);

            // And the new state service drives the camera.
            again.put("camera/outlive/enabled", "off");
            await("stopped by the new state service", DEFAULT_TIMEOUT, () -> !cam.isRunning());
        } finally {
            c.delete();
        }
    }

    @Test
    public void aSlowListenerDoesNotLowerTheRateAFastOneSees() throws Exception {
        Recorder fast = record("rates");
        AtomicLong slowFrames = new AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        // The slowest listener there is: stuck in its first frame until the fast one has had its frames.
        ServiceRegistration<FrameListener> slow = listener("rates", f -> {
            f.jpeg();
            slowFrames.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Configuration c = createFactoryConfiguration(FACTORY_PID, "rates",
                Map.of("id", "rates", "source", "pattern:", "width", 320, "height", 240, "fps", 40));
        try {
            Camera cam = camera("rates");
            await("a frame at the slow listener", DEFAULT_TIMEOUT, () -> slowFrames.get() > 0);
            int before = fast.frames.size();
            long captured0 = cam.statistics().frames();
            await("120 frames at the fast listener while the slow one is stuck", DEFAULT_TIMEOUT,
                    () -> fast.frames.size() >= before + 120);
            long captured = cam.statistics().frames() - captured0;
            int seen = fast.frames.size() - before;
            // The camera's own count in the same window is the control: the fast listener keeps its pace.
            assertTrue("the fast listener saw " + seen + " of the " + captured + " frames captured meanwhile",
                    seen >= 0.5 * captured);
            assertEquals("the stuck listener has its one frame and nothing queued", 1, slowFrames.get());
            assertTrue("skips counted: " + cam.statistics(), cam.statistics().dropped() > 0);
            assertTrue("one encode per frame, shared: " + cam.statistics(), cam.statistics().meanEncodeMillis() > 0);
        } finally {
            release.countDown();
            slow.unregister();
            fast.close();
            c.delete();
        }
    }

    @Test
    public void deletingTheConfigurationEndsTheThreadAndReleasesTheFile() throws Exception {
        Path video = writeVideo("delete.avi", 160, 120, 10);
        Configuration c = createFactoryConfiguration(FACTORY_PID, "delete",
                Map.of("id", "delete", "source", video.toString()));
        Camera cam = camera("delete");
        await("frames", DEFAULT_TIMEOUT, () -> cam.statistics().frames() > 3);
        assertTrue("the file is open", openFiles().contains(video.toRealPath()));
        assertEquals(1, threadCount("edgegate-camera-delete"));

        c.delete();
        await("camera service gone", DEFAULT_TIMEOUT, () -> cameraOrNull("delete") == null);
        await("capture thread ended", DEFAULT_TIMEOUT, () -> threadCount("edgegate-camera-delete") == 0);
        assertFalse("the file is closed", openFiles().contains(video.toRealPath()));
    }

    @Test
    public void aRemovedFileReconnectsAndResumesWhenRestored() throws Exception {
        Path video = writeVideo("lost.avi", 160, 120, 10);
        Path aside = video.resolveSibling("lost.avi.aside");
        Configuration c = createFactoryConfiguration(FACTORY_PID, "lost", Map.of("id", "lost", "source",
                video.toString(), "reconnectDelay", 100L, "reconnectMaxDelay", 400L));
        try {
            Camera cam = camera("lost");
            await("frames", DEFAULT_TIMEOUT, () -> cam.statistics().frames() > 3);

            Files.move(video, aside);
            await("RECONNECTING", DEFAULT_TIMEOUT, () -> cam.health().state() == HealthState.RECONNECTING);
            assertTrue(cam.health().reason(), cam.health().reason().contains(video.getFileName().toString()));
            assertTrue(cam.latest().isEmpty());
            assertTrue(cam.snapshot().isPlaceholder());
            assertTrue(cam.isRunning());

            Files.move(aside, video);
            long before = cam.statistics().frames();
            await("OPEN again", DEFAULT_TIMEOUT, () -> cam.health().state() == HealthState.OPEN);
            await("frames again", DEFAULT_TIMEOUT, () -> cam.statistics().frames() > before + 3);
            assertFalse(cam.snapshot().isPlaceholder());
        } finally {
            c.delete();
        }
    }

    @Test
    public void aWrongConfigurationFailsWithAReasonAndTheRestRuns() throws Exception {
        Configuration bad = createFactoryConfiguration(FACTORY_PID, "bad",
                Map.of("id", "bad", "source", "pattern:", "quality", 500));
        Configuration good = createFactoryConfiguration(FACTORY_PID, "good", Map.of("id", "good", "source", "pattern:"));
        try {
            Camera b = camera("bad");
            assertEquals(HealthState.FAILED, b.health().state());
            assertTrue(b.health().reason(), b.health().reason().contains("quality"));
            assertTrue(b.snapshot().isPlaceholder());
            Camera g = camera("good");
            await("the good camera runs", DEFAULT_TIMEOUT, () -> g.latest().isPresent());
        } finally {
            bad.delete();
            good.delete();
        }
    }

    @Test
    public void captureWorksAfterEachOfTwentyUpdatesOfTheCameraBundle() throws Exception {
        Configuration c = createFactoryConfiguration(FACTORY_PID, "upd",
                Map.of("id", "upd", "source", "pattern:", "width", 160, "height", 120, "fps", 50));
        try {
            Bundle bundle = bundleNamed(CAMERA_BSN);
            Camera before = camera("upd");
            await("frames before the updates", DEFAULT_TIMEOUT, () -> before.latest().isPresent());
            Camera previous = before;
            for (int i = 1; i <= 20; i++) {
                bundle.update();
                Camera previousCamera = previous;
                Camera cam = awaitValue("camera after update " + i, DEFAULT_TIMEOUT,
                        () -> {
                            Camera now = cameraOrNull("upd");
                            return now != null && now != previousCamera ? now : null;
                        });
                Frame f = awaitValue("a frame after update " + i, DEFAULT_TIMEOUT, () -> cam.latest().orElse(null));
                assertEquals("160x120", decodedSize(f.jpeg()));
                assertEquals("update " + i, Bundle.ACTIVE, bundle.getState());
                assertTrue("one capture thread after update " + i, threadCount("edgegate-camera-upd") <= 1);
                assertNotSame(previous, cam);
                previous = cam;
            }
        } finally {
            c.delete();
        }
        await("no capture thread left", DEFAULT_TIMEOUT, () -> threadCount("edgegate-camera-upd") == 0);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private Camera camera(String id) {
        return awaitService(Camera.class, "(id=" + id + ")", DEFAULT_TIMEOUT);
    }

    private Camera cameraOrNull(String id) {
        try {
            return context.getServiceReferences(Camera.class, "(id=" + id + ")").stream().findFirst()
                    .map(context::getService).orElse(null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ServiceRegistration<FrameListener> listener(String cameraId, FrameListener l) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(FrameListener.CAMERA_ID, cameraId);
        return context.registerService(FrameListener.class, l, props);
    }

    /** A listener that keeps what it sees: sequence and the decoded size of the JPEG. */
    private final class Recorder implements FrameListener, AutoCloseable {
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<String> sizes = new CopyOnWriteArrayList<>();
        final ServiceRegistration<FrameListener> registration;

        Recorder(String cameraId) {
            registration = listener(cameraId, this);
        }

        @Override
        public void frameReceived(Frame frame) {
            String size = frames.size() % 5 == 0 ? decodedSize(frame.jpeg()) : null;
            if (size != null && !sizes.contains(size)) {
                sizes.add(size);
            }
            frames.add(frame);
        }

        List<String> decodedSizes() {
            return sizes;
        }

        List<Long> sequences() {
            return frames.stream().map(Frame::sequence).toList();
        }

        @Override
        public void close() {
            registration.unregister();
        }
    }

    private Recorder record(String cameraId) {
        return new Recorder(cameraId);
    }

    private static String decodedSize(byte[] jpeg) {
        return Videos.decodedSize(jpeg);
    }

    private Path writeVideo(String name, int w, int h, int frames) throws IOException {
        return Videos.write(home().resolve("data/videos"), name, w, h, frames);
    }

    /** The files this JVM has open (Linux: /proc/self/fd). */
    private static List<Path> openFiles() throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return open;
    }
}
