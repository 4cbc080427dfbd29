package org.edgegate.camera.internal;

import static org.junit.Assert.assertNull;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.api.camera.FrameListener;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.FrameSources;
import org.edgegate.camera.internal.source.SourceSpec;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * Frames per second of one camera running free (no pacing), through the real capture loop, slot and
 * listener delivery, with and without a listener that takes every frame's JPEG. Measures, asserts
 * nothing timed; runs only with {@code -Dedgegate.bench=true}:
 * <pre>mvn -B -pl bundles/camera -am test -Dtest=CameraBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dedgegate.bench=true</pre>
 * {@code -Dedgegate.bench.source=/data/test_%s.avi} measures video files instead of the pattern ({@code %s}
 * becomes 480x320 and 1280x720; files keep their own size).
 */
public class CameraBenchmark {
    private static final long WARMUP_MILLIS = 2000;
    private static final long MEASURE_MILLIS = Long.getLong("edgegate.bench.millis", 6000);

    @Test
    public void freeRunningFramesPerSecond() throws Exception {
        assumeTrue(Boolean.getBoolean("edgegate.bench"));
        assertNull(OpenCvNative.ensureLoaded());
        String source = System.getProperty("edgegate.bench.source", "pattern:");
        int quality = Integer.getInteger("edgegate.bench.quality", 95);
        for (int[] size : new int[][] {{480, 320}, {1280, 720}}) {
            String src = source.replace("%s", size[0] + "x" + size[1]);
            run(src, size[0], size[1], quality, 0, false);
            run(src, size[0], size[1], quality, 0, true);
            run(src, size[0], size[1], quality, 25, true);
        }
    }

    /** {@code fps} 0 runs free; {@code encode} adds a listener that takes every frame's JPEG. */
    private static void run(String source, int w, int h, int quality, double fps, boolean encode) throws Exception {
        CameraSettings s = new CameraSettings("bench", SourceSpec.parse(source), w, h, fps, fps > 0, quality, true, "",
                100, 1000);
        BufferPool pool = new BufferPool();
        CameraStats stats = new CameraStats();
        FrameDispatcher dispatcher = new FrameDispatcher();
        setLogger(dispatcher);
        AtomicLong delivered = new AtomicLong();
        if (encode) {
            FrameListener l = f -> {
                f.jpeg();
                delivered.incrementAndGet();
            };
            dispatcher.bindFrameListener(l, Map.of(Constants.SERVICE_ID, 1L));
        }
        AtomicReference<CapturedFrame> slot = new AtomicReference<>();
        CaptureLoop loop = new CaptureLoop(s, () -> FrameSources.of(s.forSource()), pool, stats, new JpegCodecs(), 0,
                new CaptureLoop.Sink() {
                    @Override
                    public void opened(FrameSource src, JpegPlan plan) {
                    }

                    @Override
                    public void frame(CapturedFrame f) {
                        CapturedFrame old = slot.getAndSet(f);
                        dispatcher.publish(f);
                        if (old != null) {
                            old.release();
                        }
                    }

                    @Override
                    public void unavailable(String reason, long retryMillis) {
                        throw new IllegalStateException(reason);
                    }

                    @Override
                    public void failed(String reason) {
                        throw new IllegalStateException(reason);
                    }
                });
        loop.start();
        Thread.sleep(WARMUP_MILLIS);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long f0 = stats.frames();
        long d0 = delivered.get();
        long e0 = stats.encodes();
        double encMs0 = stats.snapshot().meanEncodeMillis() * e0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE_MILLIS);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        long frames = stats.frames() - f0;
        long del = delivered.get() - d0;
        long enc = stats.encodes() - e0;
        double encMs = enc == 0 ? 0 : (stats.snapshot().meanEncodeMillis() * stats.encodes() - encMs0) / enc;
        loop.stop(5000);
        dispatcher.deactivate();
        CapturedFrame last = slot.get();
        if (last != null) {
            last.release();
        }
        pool.close();
        double secs = (t1 - t0) / 1e9;
        System.out.printf(Locale.ROOT, "BENCH source=%s size=%dx%d q=%d %s listener=%s: captured %.0f fps, "
                + "delivered+encoded %.0f fps, mean encode %.2f ms, CPU %.0f%% of one core, buffers %d%n", source, w, h,
                quality, fps > 0 ? "paced " + fps : "free-running", encode ? "jpeg" : "none", frames / secs, del / secs,
                encMs, 100.0 * (cpu1 - cpu0) / 1e9 / secs, pool.created());
    }

    private static void setLogger(FrameDispatcher d) throws ReflectiveOperationException {
        Field f = FrameDispatcher.class.getDeclaredField("log");
        f.setAccessible(true);
        f.set(d, Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> m.getReturnType() == boolean.class ? false : null));
    }
}
