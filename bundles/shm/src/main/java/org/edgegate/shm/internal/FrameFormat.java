package org.edgegate.shm.internal;

import java.util.Locale;

/** What a slot's payload holds; the code is the format field of the file and slot headers. */
enum FrameFormat {
    /** Raw pixels, 8-bit B, G, R per pixel, rows top to bottom without padding: height x width x 3 bytes. */
    BGR(1),
    /** One JPEG (JFIF) image. */
    JPEG(2);

    private final int code;

    FrameFormat(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FrameFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (FrameFormat f : values()) {
            if (f.key().equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be bgr or jpeg, not '" + text + "'");
    }
}
