package org.edgegate.camera.internal;

import org.opencv.core.Mat;

/** Where a camera's pictures come from. Used by its capture thread only. */
abstract class FrameSource {
    private int width;
    private int height;
    private double pace;

    /** Opens the source; throws with a reason fit for status when it cannot. */
    abstract void open() throws SourceException;

    /**
     * Reads the next picture into {@code into} (reusing its memory when the size is unchanged). False when
     * there was none this time; a source that keeps returning false is treated as lost.
     */
    abstract boolean read(Mat into, long sequence);

    /** Null while the source is there, otherwise why it is lost (file deleted, device unplugged). */
    abstract String lostReason();

    /** Releases the device or file. Safe to call more than once. */
    abstract void close();

    /** Tells what the source delivers, once known (at the latest by {@link #open}). */
    final void announce(int width, int height, double pace) {
        this.width = width;
        this.height = height;
        this.pace = pace;
    }

    /** The frame rate the capture loop paces reads at; 0 when the source paces itself (a device). */
    final double pace() {
        return pace;
    }

    /** Width and height the source announced when opened, 0 when unknown before the first frame. */
    final int width() {
        return width;
    }

    final int height() {
        return height;
    }

    static final class SourceException extends Exception {
        private static final long serialVersionUID = 1L;

        SourceException(String message) {
            super(message);
        }
    }
}
