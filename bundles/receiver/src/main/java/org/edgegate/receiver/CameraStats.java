package org.edgegate.receiver;

import java.util.ArrayList;
import java.util.List;

/** What {@code edgegate-receive} counts of one camera: for the current second and since the start. */
final class CameraStats {
    /** Latencies kept for the summary's percentiles, at most (about 40 MB). */
    private static final int KEPT_LATENCIES = 5_000_000;

    long frames;
    long bytes;
    long lost;
    double latencySum;
    double latencyMax;
    long lastSeq = -1;
    byte[] latestJpeg;
    long totalFrames;
    long totalBytes;
    long totalLost;
    final List<Double> latencies = new ArrayList<>();
    int width;
    int height;

    /** A frame arrived; a gap in {@code seq} counts the frames between as lost. */
    void frame(long seq, double latency, int size) {
        if (lastSeq >= 0 && seq > lastSeq + 1) {
            lost += seq - lastSeq - 1;
            totalLost += seq - lastSeq - 1;
        }
        lastSeq = seq;
        frames++;
        totalFrames++;
        bytes += size;
        totalBytes += size;
        latencySum += latency;
        latencyMax = Math.max(latencyMax, latency);
        if (latencies.size() < KEPT_LATENCIES) {
            latencies.add(latency);
        }
    }

    /** A new second: the per-second figures start again. */
    void nextSecond() {
        frames = 0;
        bytes = 0;
        lost = 0;
        latencySum = 0;
        latencyMax = 0;
    }

    /** After the warm-up: the totals start again. */
    void resetTotals() {
        totalFrames = 0;
        totalBytes = 0;
        totalLost = 0;
        latencies.clear();
    }
}
