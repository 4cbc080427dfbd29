package org.edgegate.api.camera;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One camera's open source of JPEG pictures, made by a {@link FrameSourceProvider}. The camera calls
 * {@link #open()}, then {@link #next()} frame after frame on its capture thread, and {@link #close()} when the
 * source is lost or the camera stops; after a loss it makes a new source and opens it again with its
 * reconnect back-off. The camera inserts the standard Huffman tables into pictures that lack them (as many
 * USB and network cameras send them), reads the size from each picture and passes the bytes through to every
 * consumer untouched (or decodes them, with {@code jpeg = encode}).
 */
@ConsumerType
public interface JpegSource {
    /**
     * Connects. Blocks at most a few seconds.
     *
     * @return what the source delivers, as far as known before the first picture
     * @throws IOException when the source cannot be reached now (the camera retries with back-off)
     * @throws IllegalArgumentException when it can never work as configured (the camera goes FAILED)
     */
    SourceFormat open() throws IOException;

    /**
     * The next picture as the source's own JPEG bytes, blocking until it arrives; null when there was none
     * this time (a source that keeps returning null is treated as lost).
     *
     * @throws IOException when the source is lost (gone, stalled, sending what cannot be read): the message
     *         says why and is the camera's reason while it reconnects
     */
    byte[] next() throws IOException;

    /**
     * Called from another thread when the camera stops: make a blocked {@link #open()} or {@link #next()}
     * return or throw soon (close the socket). {@link #close()} still follows on the capture thread.
     */
    default void abort() {
    }

    /** Releases the connection; safe to call more than once, never throws. */
    void close();
}
