package org.edgegate.camera.internal.source;

import org.opencv.core.Mat;

/** Where a camera's pictures come from. Used by its capture thread only. */
public abstract class FrameSource {
    private int width;
    private int height;
    private double pace;
    private boolean jpeg;
    private String how = "";

    /** Opens the source; throws with a reason fit for status when it cannot. */
    public abstract void open() throws SourceException;

    /**
     * Reads the next picture into {@code into} (reusing its memory when the size is unchanged). False when
     * there was none this time; a source that keeps returning false is treated as lost.
     */
    public abstract boolean read(Mat into, long sequence);

    /** Null while the source is there, otherwise why it is lost (file deleted, device unplugged). */
    public abstract String lostReason();

    /**
     * Why the source is lost after several reads in a row gave nothing, in words for status: what it says
     * is the camera's reason while it reconnects. {@code delivered}: frames came since it was opened;
     * {@code source}: the source as configured.
     */
    public String noFrames(boolean delivered, String source) {
        return "no frames from " + source;
    }

    /**
     * True for a source that makes its pictures rather than reads them (the pattern): nothing is lost by not
     * making one, so the capture loop makes them only while someone takes them.
     */
    public boolean drawsOnDemand() {
        return false;
    }

    /** Releases the device or file. Safe to call more than once. */
    public abstract void close();

    /** From another thread when the camera stops: make a blocked open or read return soon. */
    public void abort() {
    }

    /**
     * Reads the next picture as the source's own JPEG bytes (only for a source that {@link #deliversJpeg()});
     * null when there was none this time.
     */
    public byte[] readJpeg() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " delivers pixels");
    }

    /**
     * Tells, by {@link #open}, whether frames come as JPEG ({@link #readJpeg}) or as pixels ({@link #read}),
     * and how, in words for status ("the file's MJPG chunks", "pattern: draws pixels").
     */
    protected final void announceFormat(boolean jpeg, String how) {
        this.jpeg = jpeg;
        this.how = how == null ? "" : how;
    }

    public final boolean deliversJpeg() {
        return jpeg;
    }

    public final String format() {
        return how;
    }

    /** Tells what the source delivers, once known (at the latest by {@link #open}). */
    protected final void announce(int width, int height, double pace) {
        this.width = width;
        this.height = height;
        this.pace = pace;
    }

    /** The frame rate the capture loop paces reads at; 0 when the source paces itself (a device). */
    public final double pace() {
        return pace;
    }

    /** Width and height the source announced when opened, 0 when unknown before the first frame. */
    public final int width() {
        return width;
    }

    public final int height() {
        return height;
    }

    public static final class SourceException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean fatal;
        private final boolean waiting;

        public SourceException(String message) {
            this(message, false);
        }

        /** {@code fatal}: retrying cannot help (the configuration asks for what the source cannot do). */
        public SourceException(String message, boolean fatal) {
            this(message, fatal, false);
        }

        private SourceException(String message, boolean fatal, boolean waiting) {
            super(message);
            this.fatal = fatal;
            this.waiting = waiting;
        }

        /** The source needs a service that is not there (a plug-in): wait for it, no back-off. */
        public static SourceException waiting(String message) {
            return new SourceException(message, false, true);
        }

        public boolean fatal() {
            return fatal;
        }

        public boolean waiting() {
            return waiting;
        }
    }
}
