package org.edgegate.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that receives the newest frame of every camera (or of those named in the
 * optional service property {@value #CAMERA_ID}, String or String[]).
 *
 * <p>Each listener has its own delivery thread and a one-frame slot per camera: while it is busy, newer
 * frames replace the waiting one (counted as dropped for it). A slow listener never slows capture or
 * other listeners. A listener that only queues the JPEG may ask to be called on the capture thread
 * instead ({@link org.edgegate.api.delivery.Delivery}).
 *
 * <p>Take the frame's {@link Frame#jpeg()} or {@link Frame#bgr()} inside {@link #frameReceived}: the
 * camera reuses the pixel buffer once the call returns (what was made by then stays valid).
 */
@ConsumerType
public interface FrameListener {
    String CAMERA_ID = "edgegate.camera.id";

    void frameReceived(Frame frame);
}
