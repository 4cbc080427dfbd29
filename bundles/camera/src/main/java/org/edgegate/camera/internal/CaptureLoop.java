package org.edgegate.camera.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.edgegate.api.health.HealthState;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.SourceSpec;
import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.Connector;
import org.edgegate.kernel.ConnectorLog;
import org.opencv.core.Mat;

/**
 * The capture connector of one camera, on the connector kernel (which owns the thread, stop with a
 * deadline and the back-off): opens the source, reads frame after frame into pooled buffers (paced for
 * files and the pattern), hands each to the camera, and on loss closes the source so the kernel reopens it.
 * The source is opened, read and released on the connector's thread only. The camera's health and log
 * lines come from the {@link Sink}.
 */
final class CaptureLoop extends Connector {
    /** What the loop reports to its camera. */
    interface Sink {
        /** The source is open; {@code plan} is how its frames' JPEG is made until it is closed. */
        void opened(FrameSource source, JpegPlan plan);

        /** A new frame holding one reference, which passes to the sink. */
        void frame(CapturedFrame frame);

        void unavailable(String reason, long retryMillis);

        /** The source's provider is not there (a plug-in not installed): waiting for it. */
        default void waiting(String reason) {
            unavailable(reason, WAIT_POLL_MILLIS);
        }

        void failed(String reason);
    }

    private static final int MAX_MISSES = 5;
    /** How often an unplugged device's node is looked for. */
    static final long ABSENT_POLL_MILLIS = 200;
    /** How often a camera waiting for its source's provider looks again (a new provider also wakes it). */
    static final long WAIT_POLL_MILLIS = 1000;
    private static final long PRESENCE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A source drawn on demand stops drawing at its rate this long after the last frame anyone took... */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** ...and then draws one frame this often, so that a new consumer (or one that came back) is seen. */
    static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CameraSettings settings;
    private final Supplier<FrameSource> sources;
    private final BufferPool pool;
    private final CameraStats stats;
    private final JpegCodecs codecs;
    private final Sink sink;
    private volatile long lastSequence;
    private volatile Thread thread;
    private volatile FrameSource source;
    /** How the open source's JPEG is made, decided when it opened. */
    private volatile JpegPlan plan;
    /** The source while its open() runs, so that stopping can abort a connect in progress. */
    private volatile FrameSource opening;

    CaptureLoop(CameraSettings settings, Supplier<FrameSource> sources, BufferPool pool, CameraStats stats,
            JpegCodecs codecs, long lastSequence, Sink sink) {
        super("edgegate-camera-" + settings.id(), "camera " + settings.id(),
                new Backoff(settings.reconnectDelay(), settings.reconnectMaxDelay()), ConnectorLog.NONE);
        this.settings = settings;
        this.sources = sources;
        this.pool = pool;
        this.stats = stats;
        this.codecs = codecs;
        this.sink = sink;
        this.lastSequence = lastSequence;
    }

    /** The sequence number of the last frame captured, to continue from after a restart. */
    long lastSequence() {
        return lastSequence;
    }

    @Override
    protected void open() throws Exception {
        thread = Thread.currentThread();
        Path presence = settings.source().presence();
        if (settings.source().kind() == SourceSpec.Kind.DEVICE && presence != null && !Files.exists(presence)) {
            // Unplugged: looking for the node costs nothing, so it is looked for often instead of with the
            // growing back-off, and the camera reopens as soon as the device is back.
            String reason = "device not found: " + presence + " (unplugged? waiting for it)";
            stats.idle();
            stats.error(reason);
            sink.unavailable(reason, ABSENT_POLL_MILLIS);
            throw new Unavailable(HealthState.RECONNECTING, reason, ABSENT_POLL_MILLIS);
        }
        FrameSource s = sources.get();
        opening = s;
        JpegPlan p;
        try {
            if (!running()) {
                throw new FrameSource.SourceException("stopped");
            }
            s.open();
            p = decide(s);
        } catch (FrameSource.SourceException e) {
            s.close();
            stats.idle();
            if (e.waiting()) {
                // Not an error: the camera starts when the provider arrives (kick) or at the next look.
                sink.waiting(e.getMessage());
                throw new Unavailable(HealthState.STARTING, e.getMessage(), WAIT_POLL_MILLIS);
            }
            stats.error(e.getMessage());
            if (e.fatal()) {
                // Retrying cannot help: the configuration asks for what this source cannot do.
                sink.failed(e.getMessage());
                throw new Unavailable(HealthState.FAILED, e.getMessage(), Unavailable.NEVER);
            }
            throw e;
        } catch (RuntimeException e) {
            s.close();
            stats.idle();
            throw new IllegalStateException("capture failed: " + e, e);
        } finally {
            opening = null;
        }
        plan = p;
        source = s;
        sink.opened(s, p);
    }

    /** The JPEG path for the opened source; a mode the source cannot serve is a configuration error. */
    private JpegPlan decide(FrameSource s) throws FrameSource.SourceException {
        try {
            return JpegPlan.decide(settings.jpeg(), s.deliversJpeg(), s.format());
        } catch (IllegalArgumentException e) {
            throw new FrameSource.SourceException(e.getMessage(), true);
        }
    }

    @Override
    protected void work() throws Exception {
        String lost;
        try {
            lost = capture(source);
        } catch (RuntimeException e) {
            lost = "capture failed: " + e;
        }
        if (lost != null) {
            stats.error(lost);
            throw new FrameSource.SourceException(lost, false);
        }
    }

    @Override
    protected void close() {
        FrameSource s = source;
        source = null;
        if (s != null) {
            s.close();
            stats.idle();
        }
    }

    @Override
    protected void retrying(String reason, long retryMillis) {
        sink.unavailable(reason, retryMillis);
    }

    @Override
    protected void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        if (!running()) {
            // stopping: a connect or read blocked on a network source returns now
            for (FrameSource s : new FrameSource[] {opening, source}) {
                if (s != null) {
                    s.abort();
                }
            }
        }
    }

    /** Reads until stopped (null) or the source is lost (the reason). */
    private String capture(FrameSource source) {
        Pacer pacer = new Pacer(source.pace());
        boolean jpeg = plan.path().sourceJpeg();
        boolean onDemand = source.drawsOnDemand();
        long lastDrawn = System.nanoTime();
        stats.demanded(); // full rate at first: a consumer there from the start takes the first frames
        long nextCheck = System.nanoTime() + PRESENCE_CHECK_NANOS;
        int misses = 0;
        boolean delivered = false;
        while (running()) {
            sleep(pacer.waitNanos(System.nanoTime()));
            if (!running()) {
                break;
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                String reason = source.lostReason();
                if (reason != null) {
                    return reason;
                }
                nextCheck = now + PRESENCE_CHECK_NANOS;
            }
            long sequence = lastSequence + 1;
            if (jpeg) {
                CapturedFrame f = readJpeg(source, sequence);
                if (f == null) {
                    String lost = missed(source, ++misses, delivered);
                    if (lost != null) {
                        return lost;
                    }
                    continue;
                }
                misses = 0;
                delivered = true;
                progress();
                lastSequence = sequence;
                stats.captured(f.nanoTime(), f.width(), f.height());
                sink.frame(f);
                continue;
            }
            if (onDemand && now - stats.lastDemand() > IDLE_NANOS) {
                long probe = lastDrawn + PROBE_NANOS - now;
                if (probe > 0) {
                    sleep(probe); // nobody takes frames: draw the next one at the probe time
                    continue;
                }
            }
            lastDrawn = now;
            Mat pixels = pool.take();
            boolean ok = false;
            try {
                ok = source.read(pixels, sequence);
            } finally {
                if (!ok) {
                    pool.giveBack(pixels);
                }
            }
            if (!ok) {
                String lost = missed(source, ++misses, delivered);
                if (lost != null) {
                    return lost;
                }
                continue;
            }
            misses = 0;
            delivered = true;
            progress();
            long nanos = System.nanoTime();
            lastSequence = sequence;
            stats.captured(nanos, pixels.cols(), pixels.rows());
            sink.frame(new CapturedFrame(settings.id(), sequence, System.currentTimeMillis(), nanos, pixels,
                    settings.quality(), pool, codecs, stats));
        }
        return null;
    }

    /**
     * After a read that gave nothing: the reason the source is lost, or null to read on. A vanished device
     * or file is said at once (an unplugged camera fails its reads before the next presence check); a
     * source still there is lost after {@link #MAX_MISSES} misses in a row.
     */
    private String missed(FrameSource source, int misses, boolean delivered) {
        String gone = source.lostReason();
        if (gone != null) {
            return gone;
        }
        return misses >= MAX_MISSES ? source.noFrames(delivered, settings.source().text()) : null;
    }

    /** The source's next JPEG as a frame; null when there was none or it has no readable size (counted). */
    private CapturedFrame readJpeg(FrameSource source, long sequence) {
        byte[] j = source.readJpeg();
        if (j == null) {
            return null;
        }
        int[] size = JpegMarkers.size(j);
        if (size == null) {
            stats.badFrame("frame " + sequence + " skipped: not a readable JPEG (" + j.length + " bytes)");
            return null;
        }
        return new CapturedFrame(settings.id(), sequence, System.currentTimeMillis(), System.nanoTime(), j, size[0],
                size[1], plan.path() == JpegPlan.Path.REENCODE, settings.quality(), codecs, stats);
    }

    private void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; running() && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }
}
