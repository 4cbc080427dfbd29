package org.edgegate.camera.internal;

import java.time.Instant;

import org.edgegate.api.camera.Frame;

/** What every frame tells besides its pictures: whose it is, when it was taken, its size. */
abstract class AbstractFrame implements Frame {
    private final String cameraId;
    private final long epochMillis;
    private final long nanoTime;
    private final int width;
    private final int height;

    AbstractFrame(String cameraId, long epochMillis, long nanoTime, int width, int height) {
        this.cameraId = cameraId;
        this.epochMillis = epochMillis;
        this.nanoTime = nanoTime;
        this.width = width;
        this.height = height;
    }

    @Override
    public final String cameraId() {
        return cameraId;
    }

    @Override
    public final Instant time() {
        return Instant.ofEpochMilli(epochMillis);
    }

    @Override
    public final long nanoTime() {
        return nanoTime;
    }

    @Override
    public final int width() {
        return width;
    }

    @Override
    public final int height() {
        return height;
    }
}
