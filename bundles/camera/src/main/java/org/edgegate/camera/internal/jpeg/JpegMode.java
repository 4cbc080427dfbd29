package org.edgegate.camera.internal.jpeg;

import java.util.Locale;

import org.edgegate.api.health.Ids;

/** The {@code jpeg} configuration key: how a camera's JPEG is made. */
public enum JpegMode {
    /** Pass the source's JPEG through when it delivers one, encode otherwise. */
    AUTO,
    /** Pass the source's JPEG through; a source that cannot is a configuration error. */
    PASSTHROUGH,
    /** Always decode and re-encode at the configured quality. */
    ENCODE;

    /** @throws IllegalArgumentException with the values allowed */
    public static JpegMode parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "auto" -> AUTO;
            case "passthrough" -> PASSTHROUGH;
            case "encode" -> ENCODE;
            default -> throw new IllegalArgumentException("jpeg must be auto, passthrough or encode: '" + s + "'");
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
