package org.edgegate.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that makes frame sources for cameras whose {@code source} has one URL scheme, named
 * in the service property {@value #SCHEME} (like {@code PortProvider} for sensor ports). The camera bundle
 * registers the built-in schemes: {@code device} (an index or {@code /dev/videoN}), {@code file} (a path,
 * or {@code file:}) and {@code pattern}; a plug-in adds others ({@code http}, {@code https}, ...). A camera
 * whose scheme has no provider waits, saying so, and starts when one appears; when the provider goes away
 * the camera waits again, its configuration untouched.
 */
@ConsumerType
public interface FrameSourceProvider {
    /** Service property: the scheme, or several (a String[]), this provider serves, e.g. {@code http}. */
    String SCHEME = "edgegate.camera.source.scheme";

    /**
     * Makes a source for one camera; it is opened, read and closed on that camera's capture thread only.
     * Cheap and without I/O: opening is {@link JpegSource#open()}'s job.
     *
     * @throws IllegalArgumentException when the source text cannot work with this provider whatever
     *         happens (the camera goes FAILED with the message)
     */
    JpegSource create(SourceRequest request);
}
