/**
 * Cameras: frames with shared JPEG bytes (the source's own, or encoded once on demand), lazily decoded
 * pixels, latest-only frame listeners, and JPEG codecs as services.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.edgegate.api.camera;
