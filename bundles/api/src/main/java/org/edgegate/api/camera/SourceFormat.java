package org.edgegate.api.camera;

/**
 * What an open {@link JpegSource} delivers.
 *
 * @param width       picture width, 0 when not known before the first picture (the camera reads it then)
 * @param height      picture height, 0 when not known
 * @param pace        frames per second the camera should call {@link JpegSource#next()} at (a snapshot URL
 *                    polled at the camera's rate); 0 when {@code next()} blocks until the source sends one
 *                    (a stream paced by its sender)
 * @param description how the pictures come, in words for status, e.g. {@code MJPEG stream (multipart/x-mixed-replace)}
 */
public record SourceFormat(int width, int height, double pace, String description) {
    public SourceFormat {
        if (width < 0 || height < 0 || !(pace >= 0)) {
            throw new IllegalArgumentException("bad format " + width + "x" + height + " @ " + pace);
        }
        description = description == null ? "" : description;
    }
}
