package org.edgegate.api.camera;

import java.util.Optional;

import org.edgegate.api.health.Monitored;
import org.osgi.annotation.versioning.ProviderType;

/** A configured camera, registered as a service while its configuration exists. */
@ProviderType
public interface Camera extends Monitored {
    @Override
    default String kind() {
        return "camera";
    }

    /** The configured source: device index, device path, video file or {@code pattern:}. */
    String source();

    /**
     * The newest frame, its JPEG and pixels already taken (so it can be kept and read later), empty
     * before the first one or while the camera is stopped or lost.
     */
    Optional<Frame> latest();

    /** The newest frame, or a "no signal" placeholder when there is none. */
    Frame snapshot();

    /** Starts capture (sets {@code camera/<id>/enabled} true). */
    void start();

    /** Stops capture and releases the device (sets {@code camera/<id>/enabled} false). */
    void stop();

    boolean isRunning();

    CameraStatistics statistics();

    /** How the frames' JPEG is made (passed through or encoded, with which codec) and why. */
    default JpegPath jpegPath() {
        return new JpegPath(JpegPath.Mode.UNKNOWN, "", "");
    }
}
