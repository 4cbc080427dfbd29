package org.edgegate.clips.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One camera's pre-roll: its newest frames' JPEGs (the bytes the camera shares with every consumer, kept by
 * reference, never copied or re-encoded) spanning at most {@code millis} of frame time and {@code maxBytes}; the
 * oldest give way first. Not thread-safe: the owner locks.
 */
final class FrameRing {
    /** One kept frame; {@code time} in epoch milliseconds, the frame's own capture time. */
    record Entry(long sequence, long time, int width, int height, byte[] jpeg) {
    }

    private final ArrayDeque<Entry> frames = new ArrayDeque<>();
    private long millis;
    private long maxBytes;
    private long bytes;
    private long dropped;

    FrameRing(long millis, long maxBytes) {
        resize(millis, maxBytes);
    }

    /** New bounds (rules came or went); frames beyond them go at once. */
    void resize(long millis, long maxBytes) {
        this.millis = Math.max(0, millis);
        this.maxBytes = Math.max(0, maxBytes);
        trim(frames.isEmpty() ? Long.MIN_VALUE : frames.peekLast().time());
    }

    void add(Entry e) {
        if (e.jpeg().length > maxBytes) {
            dropped++; // larger than the whole buffer: never kept
            return;
        }
        frames.addLast(e);
        bytes += e.jpeg().length;
        trim(e.time());
    }

    private void trim(long newest) {
        while (!frames.isEmpty() && (bytes > maxBytes || frames.peekFirst().time() < newest - millis)) {
            boolean overBytes = bytes > maxBytes;
            bytes -= frames.removeFirst().jpeg().length;
            if (overBytes) {
                dropped++;
            }
        }
    }

    /** The frames captured at or after {@code since} (epoch ms), oldest first. */
    List<Entry> since(long since) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : frames) {
            if (e.time() >= since) {
                out.add(e);
            }
        }
        return out;
    }

    int size() {
        return frames.size();
    }

    long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Frames that left early because the byte bound was reached (the buffer held less than its seconds). */
    long dropped() {
        return dropped;
    }

    /** The span of frame time held, in ms. */
    long span() {
        return frames.isEmpty() ? 0 : frames.peekLast().time() - frames.peekFirst().time();
    }
}
