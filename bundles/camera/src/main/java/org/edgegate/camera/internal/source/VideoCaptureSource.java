package org.edgegate.camera.internal.source;

import java.nio.file.Files;
import java.util.Locale;

import org.edgegate.camera.internal.jpeg.JpegMarkers;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/**
 * A V4L2 device or a video file played in a loop, through OpenCV's {@link VideoCapture}. A device is asked
 * for MJPG and, on the V4L2 backend, for its compressed buffers ({@code CAP_PROP_CONVERT_RGB} 0: each read
 * gives a 1 x N Mat holding the camera's JPEG, opencv/opencv#25681), unless the configuration says
 * {@code jpeg=encode} or another {@code fourcc}; a device that cannot is read as pixels.
 */
public final class VideoCaptureSource extends FrameSource {
    private static final int MJPG = VideoWriter.fourcc('M', 'J', 'P', 'G');

    private final SourceSettings settings;
    private final SourceSpec spec;
    private VideoCapture capture;
    /** The compressed buffer of a raw MJPG read. */
    private Mat raw;

    public VideoCaptureSource(SourceSettings settings) {
        this.settings = settings;
        this.spec = settings.source();
    }

    private boolean isFile() {
        return spec.kind() == SourceSpec.Kind.FILE;
    }

    @Override
    public void open() throws SourceException {
        // Checking first keeps OpenCV from trying every backend on a missing file and logging each failure.
        if (spec.presence() != null && !Files.exists(spec.presence())) {
            throw new SourceException((isFile() ? "file not found: " : "device not found: ") + spec.presence());
        }
        boolean wantRaw = !isFile() && JpegPlan.asksForJpeg(settings.jpeg())
                && (settings.fourcc().isEmpty() || settings.fourcc().equals("MJPG"));
        VideoCapture c = null;
        if (wantRaw) {
            // Only the V4L2 backend hands out the compressed buffer.
            c = spec.index() >= 0 ? new VideoCapture(spec.index(), Videoio.CAP_V4L2)
                    : new VideoCapture(spec.text(), Videoio.CAP_V4L2);
            if (!c.isOpened()) {
                c.release();
                c = null;
            }
        }
        if (c == null) {
            c = openAny();
        }
        if (!c.isOpened()) {
            c.release();
            throw new SourceException("cannot open " + spec.text()
                    + (isFile() ? " (an MJPG .avi? this OpenCV has no FFmpeg)" : " (busy or not a capture device?)"));
        }
        double pace = 0;
        if (isFile()) {
            double own = c.get(Videoio.CAP_PROP_FPS);
            pace = !settings.paced() ? 0 : settings.fps() > 0 ? settings.fps() : own > 0 ? own : 25;
            announceFormat(false, "OpenCV decodes this file (not an MJPG .avi)");
        } else {
            String f = wantRaw ? "MJPG" : settings.fourcc();
            if (!f.isEmpty()) {
                c.set(Videoio.CAP_PROP_FOURCC, VideoWriter.fourcc(f.charAt(0), f.charAt(1), f.charAt(2), f.charAt(3)));
            }
            if (settings.width() > 0) {
                c.set(Videoio.CAP_PROP_FRAME_WIDTH, settings.width());
                c.set(Videoio.CAP_PROP_FRAME_HEIGHT, settings.height());
            }
            if (settings.fps() > 0) {
                c.set(Videoio.CAP_PROP_FPS, settings.fps());
            }
            // Keep the driver from queueing stale frames: we always want the newest.
            c.set(Videoio.CAP_PROP_BUFFERSIZE, 1);
            int got = (int) c.get(Videoio.CAP_PROP_FOURCC);
            boolean rawOk = wantRaw && got == MJPG && c.set(Videoio.CAP_PROP_CONVERT_RGB, 0)
                    && c.get(Videoio.CAP_PROP_CONVERT_RGB) == 0;
            if (rawOk) {
                raw = new Mat();
                announceFormat(true, "the camera's MJPG");
            } else {
                if (wantRaw) {
                    c.set(Videoio.CAP_PROP_CONVERT_RGB, 1);
                }
                announceFormat(false, wantRaw ? "the device gives no MJPG (format " + fourccName(got) + ")"
                        : settings.fourcc().isEmpty() ? "pixels asked of the device (format " + fourccName(got) + ")"
                        : "fourcc=" + settings.fourcc() + " asked: the device gives pixels");
            }
        }
        announce((int) c.get(Videoio.CAP_PROP_FRAME_WIDTH), (int) c.get(Videoio.CAP_PROP_FRAME_HEIGHT), pace);
        capture = c;
    }

    private VideoCapture openAny() {
        if (spec.index() >= 0) {
            return new VideoCapture(spec.index(), Videoio.CAP_ANY);
        }
        if (isFile() && !spec.text().contains("%")) {
            // MJPG .avi is what this OpenCV reads; asking its backend first spares the image-sequence
            // backend's complaint about a name without a %d.
            VideoCapture c = new VideoCapture(spec.text(), Videoio.CAP_OPENCV_MJPEG);
            if (c.isOpened()) {
                return c;
            }
            c.release();
        }
        return new VideoCapture(spec.text(), Videoio.CAP_ANY);
    }

    public static String fourccName(int f) {
        StringBuilder b = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            char ch = (char) ((f >> (8 * i)) & 0xFF);
            b.append(ch >= 32 && ch < 127 ? ch : '?');
        }
        return f == 0 ? "unknown" : b.toString().trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean read(Mat into, long sequence) {
        if (capture.read(into) && !into.empty()) {
            return true;
        }
        if (isFile()) {
            // End of the file: play it again.
            capture.set(Videoio.CAP_PROP_POS_FRAMES, 0);
            return capture.read(into) && !into.empty();
        }
        return false;
    }

    @Override
    public byte[] readJpeg() {
        if (!capture.read(raw) || raw.empty()) {
            return null;
        }
        byte[] b = new byte[(int) (raw.total() * raw.elemSize())];
        raw.get(0, 0, b);
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null; // not a JPEG: counted as a miss
        }
        return JpegMarkers.withStandardHuffmanTables(b);
    }

    /**
     * A device that opens but streams nothing, or stops: on USB mostly a bus without the bandwidth for
     * every camera on it (STREAMON refused with ENOSPC or EINVAL, or transfer errors), the most common
     * complaint with several webcams on a Raspberry Pi; the reason says what helps.
     */
    @Override
    public String noFrames(boolean delivered, String source) {
        if (isFile()) {
            return super.noFrames(delivered, source);
        }
        String mjpg = raw != null ? "" : "use fourcc=MJPG (compressed frames need far less of the bus), ";
        return source + (delivered ? " stopped delivering frames (USB transfer errors?)"
                : " opened but delivers no frames (streaming refused: on USB mostly too little bandwidth left on the bus)")
                + ": lower width/height or fps, " + mjpg + "or plug it into another USB port (another hub or "
                + "controller); retrying with back-off";
    }

    @Override
    public String lostReason() {
        if (spec.presence() != null && !Files.exists(spec.presence())) {
            return (isFile() ? "file removed: " : "device removed: ") + spec.presence();
        }
        return null;
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.release();
            capture = null;
        }
        if (raw != null) {
            raw.release();
            raw = null;
        }
    }
}
