package org.edgegate.camera.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.opencv.core.Mat;

/**
 * The capture thread of one camera: opens the source, reads frame after frame into pooled buffers (paced
 * for files and the pattern), hands each to the camera, and on loss closes the source and reopens it with
 * back-off until stopped. The source is opened, read and released on this thread only.
 */
final class CaptureLoop implements Runnable {
    /** What the loop reports to its camera. */
    interface Sink {
        void opened(FrameSource source);

        /** A new frame holding one reference, which passes to the sink. */
        void frame(CapturedFrame frame);

        void unavailable(String reason, long retryMillis);

        void failed(String reason);
    }

    private static final int MAX_MISSES = 5;
    private static final long PRESENCE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final CameraSettings settings;
    private final Supplier<FrameSource> sources;
    private final BufferPool pool;
    private final CameraStats stats;
    private final JpegCodecs codecs;
    private final Sink sink;
    private volatile boolean running = true;
    private volatile long lastSequence;
    private Thread thread;

    CaptureLoop(CameraSettings settings, Supplier<FrameSource> sources, BufferPool pool, CameraStats stats,
            JpegCodecs codecs, long lastSequence, Sink sink) {
        this.settings = settings;
        this.sources = sources;
        this.pool = pool;
        this.stats = stats;
        this.codecs = codecs;
        this.sink = sink;
        this.lastSequence = lastSequence;
    }

    void start() {
        thread = new Thread(this, "edgegate-camera-" + settings.id());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops and waits for the thread to release the source; false if it did not end in time. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    /** The sequence number of the last frame captured, to continue from after a restart. */
    long lastSequence() {
        return lastSequence;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(settings.reconnectDelay(), settings.reconnectMaxDelay());
        try {
            while (running) {
                FrameSource source = sources.get();
                String lost;
                try {
                    source.open();
                    sink.opened(source);
                    lost = capture(source, backoff);
                } catch (FrameSource.SourceException e) {
                    if (e.fatal()) {
                        // Retrying cannot help: the configuration asks for what this source cannot do.
                        stats.error(e.getMessage());
                        sink.failed(e.getMessage());
                        return;
                    }
                    lost = e.getMessage();
                } catch (RuntimeException e) {
                    lost = "capture failed: " + e;
                } finally {
                    source.close();
                    stats.idle();
                }
                if (lost != null && running) {
                    long delay = backoff.next();
                    stats.error(lost);
                    sink.unavailable(lost, delay);
                    sleep(TimeUnit.MILLISECONDS.toNanos(delay));
                }
            }
        } catch (Throwable e) {
            stats.error(e.toString());
            sink.failed("capture thread died: " + e);
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    /** Reads until stopped (null) or the source is lost (the reason). */
    private String capture(FrameSource source, Backoff backoff) {
        Pacer pacer = new Pacer(source.pace());
        boolean jpeg = source.deliversJpeg();
        long nextCheck = System.nanoTime() + PRESENCE_CHECK_NANOS;
        int misses = 0;
        while (running) {
            sleep(pacer.waitNanos(System.nanoTime()));
            if (!running) {
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
                    if (++misses >= MAX_MISSES) {
                        return "no frames from " + settings.source().text();
                    }
                    continue;
                }
                misses = 0;
                backoff.reset();
                lastSequence = sequence;
                stats.captured(f.nanoTime(), f.width(), f.height());
                sink.frame(f);
                continue;
            }
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
                if (++misses >= MAX_MISSES) {
                    return "no frames from " + settings.source().text();
                }
                continue;
            }
            misses = 0;
            backoff.reset();
            long nanos = System.nanoTime();
            lastSequence = sequence;
            stats.captured(nanos, pixels.cols(), pixels.rows());
            sink.frame(new CapturedFrame(settings.id(), sequence, System.currentTimeMillis(), nanos, pixels,
                    settings.quality(), pool, codecs, stats));
        }
        return null;
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
                size[1], settings.jpeg() == JpegMode.ENCODE, settings.quality(), codecs, stats);
    }

    private void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; running && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }
}
