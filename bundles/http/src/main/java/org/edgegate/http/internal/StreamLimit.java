package org.edgegate.http.internal;

import java.util.Map;

import org.edgegate.config.ConfigCheck;

/**
 * How many MJPEG clients are served at once, as checked: the Web Console keeps {@code maxStreams} within its
 * Metatype range, a file in {@code etc/} need not, and {@code maxStreams = 0} would refuse every stream. Out of
 * range, the default stays and {@link #problem} says why, for the log and {@code gw:status}.
 */
record StreamLimit(int max, String problem) {
    static final int DEFAULT = 16;
    static final int MOST = 1000;

    static StreamLimit of(HttpConfig c, Map<String, ?> raw) {
        try {
            return new StreamLimit(new ConfigCheck(raw).intRange("maxStreams", c::maxStreams, 1, MOST), null);
        } catch (IllegalArgumentException e) {
            return new StreamLimit(DEFAULT, e.getMessage() + " (" + HttpConfig.PID + "); " + DEFAULT + " used");
        }
    }
}
