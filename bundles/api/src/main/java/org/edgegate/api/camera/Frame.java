package org.edgegate.api.camera;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One captured picture. The JPEG is the source's own (passthrough, see {@link Camera#jpegPath()}) or
 * encoded at most once, on first request; the pixels are copied or decoded at most once, on first
 * request. The same bytes are shared by every consumer: never modify the returned arrays.
 */
@ProviderType
public interface Frame {
    String cameraId();

    /** Rises by one per frame of this camera; a gap means frames were skipped. */
    long sequence();

    /** Capture time. */
    Instant time();

    /** Capture time on the monotonic clock ({@link System#nanoTime()}), for latency and rates. */
    long nanoTime();

    int width();

    int height();

    /**
     * The picture as JPEG: the source's own bytes when passed through, otherwise encoded at the camera's
     * configured quality.
     *
     * @throws IllegalStateException if first asked for after the camera has reused the frame's pixels
     *         (a listener keeping a frame past {@link FrameListener#frameReceived}); see FrameListener
     */
    byte[] jpeg();

    /**
     * The picture as raw BGR bytes, {@code height * width * 3}, row-major; copied (or decoded from the
     * source's JPEG) once on first request and shared like the JPEG.
     */
    byte[] bgr();

    /**
     * Writes the picture as raw BGR bytes (the layout of {@link #bgr()}) into {@code target} at its
     * position and advances the position by {@code height * width * 3}. Where the pixels are at hand in
     * native memory (a captured frame, inside {@link FrameListener#frameReceived}) and {@code target} is
     * direct, or a heap buffer positioned at its array's first byte, this is one native copy and makes no
     * {@code byte[]}; otherwise it puts {@link #bgr()}. Never give it a memory-mapped file that another process
     * may truncate: a native write into a page that is gone kills the JVM.
     *
     * @throws java.nio.BufferOverflowException if fewer bytes remain in {@code target}
     * @throws IllegalStateException as {@link #bgr()}
     * @since 1.1
     */
    default void copyBgrTo(ByteBuffer target) {
        target.put(bgr());
    }

    /** True for the "no signal" image given when there is no frame to give. */
    boolean isPlaceholder();
}
