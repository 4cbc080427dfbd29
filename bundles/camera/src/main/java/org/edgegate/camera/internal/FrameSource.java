package org.edgegate.camera.internal;

import org.opencv.core.Mat;

/** Where a camera's pictures come from. Used by its capture thread only. */
interface FrameSource {

    /** Opens the source; throws with a reason fit for status when it cannot. */
    void open() throws SourceException;

    /**
     * Reads the next picture into {@code into} (reusing its memory when the size is unchanged). False when
     * there was none this time; a source that keeps returning false is treated as lost.
     */
    boolean read(Mat into, long sequence);

    /** The frame rate the capture loop paces reads at; 0 when the source paces itself (a device). */
    double pace();

    /** Width and height the source announced when opened, 0 when unknown before the first frame. */
    int width();

    int height();

    /** Null while the source is there, otherwise why it is lost (file deleted, device unplugged). */
    String lostReason();

    /** Releases the device or file. Safe to call more than once. */
    void close();

    final class SourceException extends Exception {
        private static final long serialVersionUID = 1L;

        SourceException(String message) {
            super(message);
        }
    }
}
