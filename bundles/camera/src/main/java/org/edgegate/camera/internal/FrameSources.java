package org.edgegate.camera.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.opencv.core.Mat;

/** Chooses the frame source for a camera's settings: the test pattern, an MJPG file read by us, or OpenCV. */
final class FrameSources {
    private FrameSources() {
    }

    static FrameSource of(CameraSettings s) {
        return switch (s.source().kind()) {
            case PATTERN -> new PatternSource(s);
            case DEVICE -> new VideoCaptureSource(s);
            case FILE -> {
                Path p = s.source().presence();
                if (AviMjpegSource.looksLikeAvi(p)) {
                    yield new AviMjpegSource(s);
                }
                if (s.jpeg() == JpegMode.PASSTHROUGH && Files.exists(p)) {
                    yield new FailedSource("jpeg=passthrough: " + p + " is not an AVI file; only MJPG .avi files "
                            + "can be passed through (use jpeg=auto to decode and encode it)");
                }
                yield new VideoCaptureSource(s);
            }
        };
    }

    /** A source that cannot work whatever happens: the camera goes FAILED with the reason. */
    private static final class FailedSource extends FrameSource {
        private final String reason;

        FailedSource(String reason) {
            this.reason = reason;
        }

        @Override
        void open() throws SourceException {
            throw new SourceException(reason, true);
        }

        @Override
        boolean read(Mat into, long sequence) {
            return false;
        }

        @Override
        String lostReason() {
            return reason;
        }

        @Override
        void close() {
        }
    }
}
