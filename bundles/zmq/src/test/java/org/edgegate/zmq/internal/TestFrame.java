package org.edgegate.zmq.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgegate.api.camera.Frame;

/** A test-only frame with fixed bytes that counts how often its JPEG was asked for. */
public final class TestFrame implements Frame {
    final AtomicInteger jpegCalls = new AtomicInteger();
    private final String camera;
    private final long seq;
    private final Instant time;
    private final long nanos;
    private final byte[] jpeg;

    public TestFrame(String camera, long seq, byte[] jpeg) {
        this(camera, seq, Instant.now(), System.nanoTime(), jpeg);
    }

    public TestFrame(String camera, long seq, Instant time, long nanos, byte[] jpeg) {
        this.camera = camera;
        this.seq = seq;
        this.time = time;
        this.nanos = nanos;
        this.jpeg = jpeg;
    }

    @Override
    public String cameraId() {
        return camera;
    }

    @Override
    public long sequence() {
        return seq;
    }

    @Override
    public Instant time() {
        return time;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public int width() {
        return 4;
    }

    @Override
    public int height() {
        return 2;
    }

    @Override
    public byte[] jpeg() {
        jpegCalls.incrementAndGet();
        return jpeg;
    }

    @Override
    public byte[] bgr() {
        byte[] b = new byte[2 * 4 * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Override
    public boolean isPlaceholder() {
        return false;
    }
}
