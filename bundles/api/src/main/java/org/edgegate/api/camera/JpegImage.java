package org.edgegate.api.camera;

/** Decoded pixels: {@code width * height * 3} BGR bytes, row-major. */
public record JpegImage(int width, int height, byte[] bgr) {
    public JpegImage {
        if (width <= 0 || height <= 0 || bgr == null || bgr.length < (long) width * height * 3) {
            throw new IllegalArgumentException("not a " + width + "x" + height + " BGR image");
        }
    }
}
