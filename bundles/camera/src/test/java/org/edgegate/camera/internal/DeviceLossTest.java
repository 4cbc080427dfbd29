package org.edgegate.camera.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.SourceSpec;
import org.edgegate.camera.internal.source.VideoCaptureSource;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * What the camera rig found on real V4L2 drivers, kept as unit tests: an unplugged device is said to be
 * removed at its first failed read (not after five misses as "no frames"), its node is looked for often
 * while absent so it reopens as soon as it is back, and a device that streams nothing says what to do.
 */
public class DeviceLossTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadOpenCv() {
        org.junit.Assert.assertNull(OpenCvNative.ensureLoaded());
    }

    /** A device whose node is a file of the test: reads fail once the file is gone, as an unplugged camera's do. */
    private static final class FakeDevice extends FrameSource {
        private final Path node;

        FakeDevice(Path node) {
            this.node = node;
        }

        @Override
        public void open() throws SourceException {
            if (!Files.exists(node)) {
                throw new SourceException("cannot open " + node);
            }
            announceFormat(false, "test device");
            announce(8, 8, 100);
        }

        @Override
        public boolean read(Mat into, long sequence) {
            if (!Files.exists(node)) {
                return false;
            }
            into.create(8, 8, CvType.CV_8UC3);
            return true;
        }

        @Override
        public String lostReason() {
            return Files.exists(node) ? null : "device removed: " + node;
        }

        @Override
        public void close() {
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for " + what, System.nanoTime() < deadline);
            Thread.sleep(10);
        }
    }

    @Test
    public void unpluggedDeviceIsRemovedAtOnceAndReopensAsSoonAsItIsBack() throws Exception {
        Path node = tmp.newFile("video0").toPath();
        // back-off 5 s to 60 s: only the quick look for the node can bring it back within the test's time
        CameraSettings s = new CameraSettings("cam", new SourceSpec(SourceSpec.Kind.DEVICE, node.toString(), -1, node),
                0, 0, 0, true, 80, true, "", 5000, 60000);
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Long> retries = new CopyOnWriteArrayList<>();
        int[] opens = new int[1];
        long[] frames = new long[1];
        BufferPool pool = new BufferPool();
        CaptureLoop loop = new CaptureLoop(s, () -> new FakeDevice(node), pool, new CameraStats(), new JpegCodecs(), 0,
                new CaptureLoop.Sink() {
                    @Override
                    public void opened(FrameSource source, JpegPlan plan) {
                        opens[0]++;
                    }

                    @Override
                    public void frame(CapturedFrame frame) {
                        frames[0]++;
                        frame.release();
                    }

                    @Override
                    public void unavailable(String reason, long retryMillis) {
                        reasons.add(reason);
                        retries.add(retryMillis);
                    }

                    @Override
                    public void failed(String reason) {
                        reasons.add("FAILED " + reason);
                    }
                });
        loop.start();
        try {
            await(() -> frames[0] > 3, "frames");
            Files.delete(node);
            await(() -> reasons.size() >= 2, "the loss and the wait for the node");
            assertEquals("device removed: " + node, reasons.get(0));
            assertTrue(reasons.get(1), reasons.get(1).startsWith("device not found: " + node + " (unplugged?"));
            assertEquals(CaptureLoop.ABSENT_POLL_MILLIS, (long) retries.get(1));
            long unplugged = frames[0];
            Files.createFile(node);
            long back = System.nanoTime();
            await(() -> frames[0] > unplugged, "frames after the node is back");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            assertTrue("back after " + millis + " ms; the back-off alone would wait 5 s", millis < 3000);
            assertEquals(2, opens[0]);
        } finally {
            assertTrue(loop.stop(5000));
            pool.close();
        }
    }

    @Test
    public void deviceThatStreamsNothingSaysWhatToDo() {
        CameraSettings s = new CameraSettings("cam", SourceSpec.parse("/dev/video7"), 640, 480, 25, true, 80, true, "",
                500, 5000);
        VideoCaptureSource src = new VideoCaptureSource(s.forSource());
        String never = src.noFrames(false, "/dev/video7");
        assertTrue(never, never.startsWith("/dev/video7 opened but delivers no frames"));
        for (String advice : new String[] {"lower width/height or fps", "use fourcc=MJPG", "another USB port"}) {
            assertTrue(never, never.contains(advice));
        }
        String stopped = src.noFrames(true, "/dev/video7");
        assertTrue(stopped, stopped.startsWith("/dev/video7 stopped delivering frames"));
        assertTrue(stopped, stopped.contains("another USB port"));
    }
}
