package org.edgegate.camera.internal;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.PatternSource;
import org.edgegate.camera.internal.source.SourceSpec;
import org.junit.Test;

/** The paced pattern draws (and so encodes) only while a consumer takes its frames (issue 22). */
public class OnDemandTest {
    private static final double FPS = 50;

    @Test
    public void thePatternDrawsAtItsRateOnlyWhileFramesAreTaken() throws Exception {
        assertNull(OpenCvNative.ensureLoaded());
        BufferPool pool = new BufferPool();
        CameraStats stats = new CameraStats();
        AtomicBoolean consume = new AtomicBoolean(false);
        AtomicReference<String> problem = new AtomicReference<>();
        CameraSettings s = new CameraSettings("lazy", SourceSpec.parse("pattern:"), 160, 120, FPS, true, 80, true, "",
                100, 1000);
        CaptureLoop loop = new CaptureLoop(s, () -> new PatternSource(s.forSource()), pool, stats, new JpegCodecs(), 0,
                new CaptureLoop.Sink() {
                    @Override
                    public void opened(FrameSource source, JpegPlan plan) {
                    }

                    @Override
                    public void frame(CapturedFrame frame) {
                        if (consume.get()) {
                            frame.jpeg(); // what a consumer does
                        }
                        frame.release();
                    }

                    @Override
                    public void unavailable(String reason, long retryMillis) {
                        problem.set(reason);
                    }

                    @Override
                    public void failed(String reason) {
                        problem.set(reason);
                    }
                });
        loop.start();
        try {
            // Nobody takes a frame: full rate for the idle window, then one probe frame a second.
            long idleNanos = CaptureLoop.IDLE_NANOS + 2 * CaptureLoop.PROBE_NANOS;
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < idleNanos && problem.get() == null) {
                TimeUnit.MILLISECONDS.sleep(50); // the span measured, not a wait for a condition
            }
            long drawnIdle = stats.frames();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double ifDrawnAlways = FPS * seconds;
            assertNull(problem.get());
            assertTrue("drawn without consumers: " + drawnIdle + " in " + seconds + " s (" + ifDrawnAlways
                    + " at the full rate)", drawnIdle < 0.75 * ifDrawnAlways);
            long probedFrom = stats.frames();
            long probeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stats.frames() == probedFrom && System.nanoTime() < probeDeadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertTrue("a probe frame keeps coming while idle", stats.frames() > probedFrom);

            // A consumer takes a probe frame: the full rate comes back.
            consume.set(true);
            long from = stats.frames();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stats.frames() < from + 3 * FPS && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertTrue("frames at the rate again once taken: " + (stats.frames() - from),
                    stats.frames() >= from + 3 * FPS);
        } finally {
            assertTrue(loop.stop(5000));
            pool.close();
        }
    }
}
