package org.edgegate.camera.internal.source;

import java.nio.file.Files;
import java.nio.file.Path;

import org.edgegate.api.camera.FrameSourceProvider;
import org.edgegate.api.camera.SourceRequest;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.opencv.core.Mat;

/**
 * Chooses the frame source for a camera's settings: the provider of the source's scheme; for the built-in
 * schemes the test pattern, an MJPG file read by us, or OpenCV.
 */
public final class FrameSources {
    private FrameSources() {
    }

    /**
     * The source from the provider of the scheme; one that waits, saying so, when no provider serves it
     * now, or fails with the reason when the provider refuses the source.
     */
    public static FrameSource choose(SourceSettings s, SourceRequest request, SourceProviders providers) {
        String scheme = s.source().scheme();
        FrameSourceProvider p = providers.get(scheme);
        if (p == null) {
            return new Unusable(FrameSource.SourceException.waiting("source scheme " + scheme
                    + " not available (installed: " + providers.installed() + ")"));
        }
        if (p instanceof BuiltInSources) {
            return of(s);
        }
        try {
            return new PluginSource(p.create(request), s.paced(), s.source().shown());
        } catch (IllegalArgumentException e) {
            return new Unusable(new FrameSource.SourceException(scheme + ": " + e.getMessage(), true));
        } catch (RuntimeException e) {
            return new Unusable(new FrameSource.SourceException("the " + scheme + " provider failed: " + e));
        }
    }

    public static FrameSource of(SourceSettings s) {
        return switch (s.source().kind()) {
            case PATTERN -> new PatternSource(s);
            case DEVICE -> new VideoCaptureSource(s);
            case PLUGIN -> new Unusable(new FrameSource.SourceException(s.source().scheme()
                    + " is not a built-in source", true));
            case FILE -> {
                Path p = s.source().presence();
                if (AviMjpegSource.looksLikeAvi(p)) {
                    yield new AviMjpegSource(s);
                }
                // Known before opening: nothing but an MJPG .avi gives its JPEG.
                String refused = Files.exists(p) ? JpegPlan.refusal(s.jpeg(), p + " is not an AVI file; only MJPG "
                        + ".avi files can be passed through") : null;
                if (refused != null) {
                    yield new Unusable(new FrameSource.SourceException(refused, true));
                }
                yield new VideoCaptureSource(s);
            }
        };
    }

    /** A source that cannot open, for the reason its exception gives (fatal, or waiting for a provider). */
    private static final class Unusable extends FrameSource {
        private final SourceException reason;

        Unusable(SourceException reason) {
            this.reason = reason;
        }

        @Override
        public void open() throws SourceException {
            throw reason;
        }

        @Override
        public boolean read(Mat into, long sequence) {
            return false;
        }

        @Override
        public String lostReason() {
            return reason.getMessage();
        }

        @Override
        public void close() {
        }
    }
}
