package org.edgegate.camera.internal.source;

import org.edgegate.camera.internal.jpeg.JpegMode;

/**
 * What a frame source needs of its camera's configuration, already checked (the camera's settings make it):
 * the camera id, the source, the size and rate asked for, whether to pace reads, the {@code fourcc} asked of
 * a device and the {@code jpeg} mode.
 */
public record SourceSettings(String id, SourceSpec source, int width, int height, double fps, boolean paced,
        String fourcc, JpegMode jpeg) {
}
