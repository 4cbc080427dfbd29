package org.edgegate.camera.internal;

import java.nio.file.Files;

import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** A V4L2 device or a video file played in a loop, through OpenCV's {@link VideoCapture}. */
final class VideoCaptureSource extends FrameSource {
    private final CameraSettings settings;
    private final SourceSpec spec;
    private VideoCapture capture;

    VideoCaptureSource(CameraSettings settings) {
        this.settings = settings;
        this.spec = settings.source();
    }

    private boolean isFile() {
        return spec.kind() == SourceSpec.Kind.FILE;
    }

    @Override
    void open() throws SourceException {
        // Checking first keeps OpenCV from trying every backend on a missing file and logging each failure.
        if (spec.presence() != null && !Files.exists(spec.presence())) {
            throw new SourceException((isFile() ? "file not found: " : "device not found: ") + spec.presence());
        }
        VideoCapture c;
        if (spec.index() >= 0) {
            c = new VideoCapture(spec.index(), Videoio.CAP_ANY);
        } else if (isFile() && !spec.text().contains("%")) {
            // MJPG .avi is what this OpenCV reads; asking its backend first spares the image-sequence
            // backend's complaint about a name without a %d.
            c = new VideoCapture(spec.text(), Videoio.CAP_OPENCV_MJPEG);
            if (!c.isOpened()) {
                c.release();
                c = new VideoCapture(spec.text(), Videoio.CAP_ANY);
            }
        } else {
            c = new VideoCapture(spec.text(), Videoio.CAP_ANY);
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
        } else {
            if (!settings.fourcc().isEmpty()) {
                String f = settings.fourcc();
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
        }
        announce((int) c.get(Videoio.CAP_PROP_FRAME_WIDTH), (int) c.get(Videoio.CAP_PROP_FRAME_HEIGHT), pace);
        capture = c;
    }

    @Override
    boolean read(Mat into, long sequence) {
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
    String lostReason() {
        if (spec.presence() != null && !Files.exists(spec.presence())) {
            return (isFile() ? "file removed: " : "device removed: ") + spec.presence();
        }
        return null;
    }

    @Override
    void close() {
        if (capture != null) {
            capture.release();
            capture = null;
        }
    }
}
