package org.edgegate.zmq.internal;

import java.time.Instant;

import org.edgegate.api.camera.Frame;

/**
 * A frame whose bytes were taken while the camera still held its pixels (inside
 * {@code frameReceived}), so the endpoint's thread can send it later. Only the form the endpoint sends is
 * taken: the shared JPEG, or the raw pixels.
 */
record HeldFrame(String cameraId, long sequence, Instant time, long nanoTime, int width, int height, byte[] held,
        boolean raw, boolean isPlaceholder) implements Frame {

    static HeldFrame of(Frame f, boolean raw) {
        return new HeldFrame(f.cameraId(), f.sequence(), f.time(), f.nanoTime(), f.width(), f.height(),
                raw ? f.bgr() : f.jpeg(), raw, f.isPlaceholder());
    }

    @Override
    public byte[] jpeg() {
        if (raw) {
            throw new IllegalStateException("this endpoint took the raw pixels of frame " + sequence);
        }
        return held;
    }

    @Override
    public byte[] bgr() {
        if (!raw) {
            throw new IllegalStateException("this endpoint took the JPEG of frame " + sequence);
        }
        return held;
    }
}
