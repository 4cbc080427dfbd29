package org.edgegate.api.camera;

/**
 * Counters of one camera: the actual frame size (which a device may choose over the requested
 * one), measured frames per second, frames captured, frames dropped, mean JPEG encode time.
 */
public record CameraStatistics(int width, int height, double fps, long frames, long dropped,
        double meanEncodeMillis, String lastError) {
}
