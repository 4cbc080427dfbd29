/** Cameras: frames with lazily encoded, shared JPEG bytes and latest-only frame listeners. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.edgegate.api.camera;
