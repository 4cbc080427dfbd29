package org.edgegate.camera.internal;

/**
 * Loads OpenCV's native library once per framework.
 *
 * <p>A native library can belong to one class loader only. {@code nu.pattern.OpenCV.loadLocally()} runs in
 * the class loader of the OpenCV bundle (which also holds every {@code org.opencv} class with native
 * methods) and remembers that it has loaded, so updates of this bundle find the library already bound
 * and never try to load it into one of their own class loaders.
 */
final class OpenCvNative {
    private static volatile String failure;
    private static volatile boolean loaded;

    private OpenCvNative() {
    }

    /** Null when OpenCV is usable, otherwise why not. */
    static synchronized String ensureLoaded() {
        if (loaded) {
            return null;
        }
        if (failure != null) {
            return failure;
        }
        try {
            nu.pattern.OpenCV.loadLocally();
            // Touch a native method so a library that loaded but does not link fails here, not later.
            org.opencv.core.Core.getVersionString();
            loaded = true;
            return null;
        } catch (Throwable e) {
            failure = "OpenCV native library not available: " + e;
            return failure;
        }
    }
}
