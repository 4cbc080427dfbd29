package org.edgegate.camera.internal;

import java.util.ArrayDeque;

import org.opencv.core.Mat;

/**
 * Pixel buffers of one camera, reused frame after frame. A buffer is out of the pool while a frame holds
 * it (its slot, a listener's slot, a delivery or an encode in progress), so the pool grows only to the
 * number of frames pinned at once and memory stays flat at any frame rate. Reading into a reused
 * {@link Mat} of the same size allocates nothing.
 */
final class BufferPool {
    private final ArrayDeque<Mat> free = new ArrayDeque<>();
    private int created;
    private boolean closed;

    synchronized Mat take() {
        Mat m = free.poll();
        if (m == null) {
            m = new Mat();
            created++;
        }
        return m;
    }

    synchronized void giveBack(Mat m) {
        if (closed) {
            m.release();
        } else {
            free.push(m);
        }
    }

    /** How many buffers this pool has ever made: stays small and flat while capture runs. */
    synchronized int created() {
        return created;
    }

    /** Frees the idle buffers now and those still held as their frames let go. */
    synchronized void close() {
        closed = true;
        for (Mat m : free) {
            m.release();
        }
        free.clear();
    }
}
