package org.edgegate.camera.internal;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgegate.api.camera.JpegImage;
import org.edgegate.camera.internal.jpeg.Jpeg;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A captured frame: either pixels in a pooled buffer, or the source's own JPEG.
 *
 * <p>Pixels: the buffer is reference counted; whoever keeps the frame for later (the camera's slot, a
 * listener's slot, a delivery, an encode) holds a reference and the buffer goes back to the pool when the
 * last one lets go. The JPEG (encoded with the best codec) and the copied pixels are made at most once, on
 * first request, and shared; once made they outlive the buffer.
 *
 * <p>JPEG: {@link #jpeg()} is the source's bytes as they came (passthrough), or with {@code reencode} those
 * decoded and encoded again at the quality, once; {@link #bgr()} is decoded at most once, only when asked.
 * Nothing is pooled, so such a frame stays readable for ever.
 */
final class CapturedFrame extends AbstractFrame {
    private final long sequence;
    private final int quality;
    private final Mat pixels;
    private final BufferPool pool;
    private final byte[] source;
    private final boolean reencode;
    private final JpegCodecs codecs;
    private final CameraStats stats;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile byte[] jpeg;
    private volatile byte[] bgr;

    /** Takes over {@code pixels} (from {@code pool}) with one reference held by the caller. */
    CapturedFrame(String cameraId, long sequence, long epochMillis, long nanoTime, Mat pixels, int quality,
            BufferPool pool, JpegCodecs codecs, CameraStats stats) {
        super(cameraId, epochMillis, nanoTime, pixels.cols(), pixels.rows());
        this.sequence = sequence;
        this.quality = quality;
        this.pixels = pixels;
        this.pool = pool;
        this.source = null;
        this.reencode = false;
        this.codecs = codecs;
        this.stats = stats;
    }

    /** A frame of the source's JPEG, {@code width x height} as its header says. */
    CapturedFrame(String cameraId, long sequence, long epochMillis, long nanoTime, byte[] sourceJpeg, int width,
            int height, boolean reencode, int quality, JpegCodecs codecs, CameraStats stats) {
        super(cameraId, epochMillis, nanoTime, width, height);
        this.sequence = sequence;
        this.quality = quality;
        this.pixels = null;
        this.pool = null;
        this.source = sourceJpeg;
        this.reencode = reencode;
        this.codecs = codecs;
        this.stats = stats;
        if (!reencode) {
            jpeg = sourceJpeg;
        }
    }

    /** Takes a reference unless the pixels have already gone back to the pool (never for a JPEG frame). */
    boolean tryRetain() {
        if (pixels == null) {
            return true;
        }
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
        if (pixels == null) {
            return;
        }
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

    /** True when {@link #jpeg()} is the source's own bytes. */
    boolean isPassthrough() {
        return source != null && !reencode;
    }

    /** Makes what a kept frame needs: a pixel frame's JPEG and pixels before its buffer is reused. */
    void keep() {
        jpeg();
        if (pixels != null) {
            bgr();
        }
    }

    @Override
    public byte[] jpeg() {
        stats.demanded();
        byte[] j = jpeg;
        if (j != null) {
            return j;
        }
        synchronized (this) {
            if (jpeg == null) {
                if (pixels != null) {
                    pin();
                    try {
                        long t0 = System.nanoTime();
                        jpeg = codecs.encode(pixels, quality);
                        stats.encoded(System.nanoTime() - t0);
                    } finally {
                        release();
                    }
                } else {
                    byte[] px = bgr();
                    long t0 = System.nanoTime();
                    jpeg = codecs.encode(px, width(), height(), quality);
                    stats.encoded(System.nanoTime() - t0);
                }
            }
            return jpeg;
        }
    }

    @Override
    public byte[] bgr() {
        stats.demanded();
        byte[] b = bgr;
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (bgr == null) {
                if (pixels != null) {
                    pin();
                    try {
                        bgr = Jpeg.copyPixels(pixels);
                    } finally {
                        release();
                    }
                } else {
                    bgr = decode();
                }
            }
            return bgr;
        }
    }

    /**
     * One native copy from the pooled pixels into the target: into a direct target's memory (a Mat header over
     * it, {@code copyTo}), or into a heap target's array when the position is its first byte ({@code Mat.get});
     * the shared {@link #bgr()} bytes when they exist already, for a JPEG frame, or for any other target.
     */
    @Override
    public void copyBgrTo(ByteBuffer target) {
        int n = width() * height() * 3;
        if (target.remaining() < n) {
            throw new BufferOverflowException();
        }
        stats.demanded();
        byte[] b = bgr;
        boolean intoArray = !target.isDirect() && target.hasArray() && target.arrayOffset() + target.position() == 0
                && target.array().length % 3 == 0; // OpenCV copies whole pixels only
        if (b != null || pixels == null || !(target.isDirect() || intoArray) || target.isReadOnly()) {
            target.put(b != null ? b : bgr());
            return;
        }
        pin();
        try {
            if (pixels.type() != CvType.CV_8UC3 || pixels.cols() != width() || pixels.rows() != height()
                    || intoArray && !pixels.isContinuous()) {
                target.put(bgr());
                return;
            }
            if (intoArray) {
                pixels.get(0, 0, target.array()); // copies total() * 3 bytes: n, the array holds at least that
                target.position(target.position() + n);
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

    private byte[] decode() {
        long t0 = System.nanoTime();
        JpegImage img;
        try {
            img = codecs.decode(source);
        } catch (IllegalArgumentException e) {
            stats.error("frame " + sequence + ": " + e.getMessage());
            throw new IllegalStateException("frame " + cameraId() + "#" + sequence + ": the source's JPEG cannot be "
                    + "decoded: " + e.getMessage(), e);
        }
        stats.decoded(System.nanoTime() - t0);
        if (img.width() != width() || img.height() != height()) {
            throw new IllegalStateException("frame " + cameraId() + "#" + sequence + " decodes to " + img.width() + "x"
                    + img.height() + ", its header says " + width() + "x" + height());
        }
        return img.bgr();
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
