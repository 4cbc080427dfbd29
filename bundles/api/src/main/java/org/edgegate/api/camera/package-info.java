/**
 * Cameras: frames with shared JPEG bytes (the source's own, or encoded once on demand), lazily decoded
 * pixels, latest-only frame listeners, JPEG codecs as services, and frame-source providers chosen by the
 * scheme of a camera's {@code source} (1.2: {@link org.edgegate.api.camera.FrameSourceProvider}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.edgegate.api.camera;
