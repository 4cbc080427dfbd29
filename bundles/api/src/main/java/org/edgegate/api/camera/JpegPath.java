package org.edgegate.api.camera;

/**
 * How a camera's JPEG is made, and why: {@link Mode#PASSTHROUGH} hands on the source's own JPEG bytes (no
 * decode, no encode); {@link Mode#ENCODE} encodes pixels with {@code codec}; {@link Mode#UNKNOWN} before
 * the source has been opened.
 */
public record JpegPath(Mode mode, String codec, String reason) {
    public enum Mode {
        PASSTHROUGH, ENCODE, UNKNOWN
    }

    public JpegPath {
        if (mode == null) {
            throw new IllegalArgumentException("mode");
        }
        codec = codec == null ? "" : codec;
        reason = reason == null ? "" : reason;
    }

    /** E.g. {@code passthrough: the camera's MJPG} or {@code encode (turbojpeg): pattern: draws pixels}. */
    @Override
    public String toString() {
        String head = switch (mode) {
            case PASSTHROUGH -> "passthrough";
            case ENCODE -> codec.isEmpty() ? "encode" : "encode (" + codec + ")";
            case UNKNOWN -> "unknown";
        };
        return reason.isEmpty() ? head : head + ": " + reason;
    }
}
