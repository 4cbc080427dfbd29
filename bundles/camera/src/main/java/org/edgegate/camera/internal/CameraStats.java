package org.edgegate.camera.internal;

import java.util.concurrent.atomic.LongAdder;

import org.edgegate.api.camera.CameraStatistics;

/** Counters of one camera, written by its capture thread, encoders and frame deliveries. */
final class CameraStats {
    private static final long FPS_WINDOW_NANOS = 1_000_000_000L;

    private final LongAdder dropped = new LongAdder();
    private final LongAdder encodes = new LongAdder();
    private final LongAdder encodeNanos = new LongAdder();
    private final LongAdder decodes = new LongAdder();
    private final LongAdder decodeNanos = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private volatile long frames;
    private volatile int width;
    private volatile int height;
    private volatile double fps;
    private volatile String lastError = "";
    /** When a consumer last wanted frames (System.nanoTime). */
    private volatile long lastDemand = System.nanoTime();
    private long windowStart;
    private long windowFrames;

    /** Capture thread only. */
    void captured(long nanoTime, int w, int h) {
        frames++;
        width = w;
        height = h;
        if (windowStart == 0) {
            windowStart = nanoTime;
            windowFrames = frames;
        } else if (nanoTime - windowStart >= FPS_WINDOW_NANOS) {
            fps = (frames - windowFrames) * 1e9 / (nanoTime - windowStart);
            windowStart = nanoTime;
            windowFrames = frames;
        }
    }

    /** Capture thread only: no frames are coming (stopped, lost). */
    void idle() {
        fps = 0;
        windowStart = 0;
    }

    /** The size the source reported before its first frame. */
    void size(int w, int h) {
        width = w;
        height = h;
    }

    /** Someone wants frames now: a consumer took a frame's JPEG or pixels, or capture began. Any thread. */
    void demanded() {
        lastDemand = System.nanoTime();
    }

    /** When frames were last wanted ({@link System#nanoTime}). */
    long lastDemand() {
        return lastDemand;
    }

    void dropped() {
        dropped.increment();
    }

    void encoded(long nanos) {
        encodes.increment();
        encodeNanos.add(nanos);
    }

    /** A source JPEG decoded for its pixels. */
    void decoded(long nanos) {
        decodes.increment();
        decodeNanos.add(nanos);
    }

    /** A source frame that was not a readable JPEG (skipped). */
    void badFrame(String why) {
        badFrames.increment();
        error(why);
    }

    long decodes() {
        return decodes.sum();
    }

    double meanDecodeMillis() {
        long n = decodes.sum();
        return n == 0 ? 0 : decodeNanos.sum() / 1e6 / n;
    }

    long badFrames() {
        return badFrames.sum();
    }

    void error(String message) {
        lastError = message == null ? "" : message;
    }

    long encodes() {
        return encodes.sum();
    }

    long frames() {
        return frames;
    }

    CameraStatistics snapshot() {
        long n = encodes.sum();
        double meanMs = n == 0 ? 0 : encodeNanos.sum() / 1e6 / n;
        return new CameraStatistics(width, height, fps, frames, dropped.sum(), meanMs, lastError);
    }
}
