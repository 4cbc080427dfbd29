package org.edgegate.camera.internal;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A captured frame over a pooled pixel buffer. The buffer is reference counted: whoever keeps the frame
 * for later (the camera's slot, a listener's slot, a delivery, an encode) holds a reference and the buffer
 * goes back to the pool when the last one lets go. The JPEG and the copied pixels are made at most once,
 * on first request, and shared; once made they outlive the buffer.
 */
final class CapturedFrame extends AbstractFrame {
    private final long sequence;
    private final int quality;
    private final Mat pixels;
    private final BufferPool pool;
    private final CameraStats stats;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile byte[] jpeg;
    private volatile byte[] bgr;

    /** Takes over {@code pixels} (from {@code pool}) with one reference held by the caller. */
    CapturedFrame(String cameraId, long sequence, long epochMillis, long nanoTime, Mat pixels, int quality,
            BufferPool pool, CameraStats stats) {
        super(cameraId, epochMillis, nanoTime, pixels.cols(), pixels.rows());
        this.sequence = sequence;
        this.quality = quality;
        this.pixels = pixels;
        this.pool = pool;
        this.stats = stats;
    }

    /** Takes a reference unless the pixels have already gone back to the pool. */
    boolean tryRetain() {
        for (;;) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            pool.giveBack(pixels);
        } else if (r < 0) {
            throw new IllegalStateException("frame " + cameraId() + "#" + sequence + " released once too often");
        }
    }

    CameraStats stats() {
        return stats;
    }

    @Override
    public byte[] jpeg() {
        byte[] j = jpeg;
        if (j != null) {
            return j;
        }
        synchronized (this) {
            if (jpeg == null) {
                pin();
                try {
                    long t0 = System.nanoTime();
                    jpeg = Jpeg.encode(pixels, quality);
                    stats.encoded(System.nanoTime() - t0);
                } finally {
                    release();
                }
            }
            return jpeg;
        }
    }

    @Override
    public byte[] bgr() {
        byte[] b = bgr;
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (bgr == null) {
                pin();
                try {
                    bgr = Jpeg.copyPixels(pixels);
                } finally {
                    release();
                }
            }
            return bgr;
        }
    }

    /**
     * One native copy from the pooled pixels into a direct target (a Mat header over the target's memory,
     * {@code copyTo} into it); the shared {@link #bgr()} bytes when they exist already or the target is on
     * the heap.
     */
    @Override
    public void copyBgrTo(ByteBuffer target) {
        int n = width() * height() * 3;
        if (target.remaining() < n) {
            throw new BufferOverflowException();
        }
        byte[] b = bgr;
        if (b != null || !target.isDirect() || target.isReadOnly()) {
            target.put(b != null ? b : bgr());
            return;
        }
        pin();
        try {
            if (pixels.type() != CvType.CV_8UC3 || pixels.cols() != width() || pixels.rows() != height()) {
                target.put(bgr());
                return;
            }
            Mat view = new Mat(height(), width(), CvType.CV_8UC3, target.slice(target.position(), n));
            try {
                pixels.copyTo(view); // same size and type: copies into the view's (the target's) memory
            } finally {
                view.release();
            }
        } finally {
            release();
        }
        target.position(target.position() + n);
    }

    private void pin() {
        if (!tryRetain()) {
            throw new IllegalStateException("the pixels of frame " + cameraId() + "#" + sequence
                    + " were recycled: call jpeg() or bgr() inside frameReceived, or use Camera.latest()");
        }
    }

    boolean isEncoded() {
        return jpeg != null;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public boolean isPlaceholder() {
        return false;
    }

    @Override
    public String toString() {
        return "frame " + cameraId() + "#" + sequence + " " + width() + "x" + height();
    }
}
