package org.edgegate.state.internal;

import java.util.Locale;
import java.util.Map;

import org.edgegate.api.state.StateKeys;
import org.edgegate.api.state.StateLimitException;
import org.edgegate.config.ConfigCheck;

/**
 * The state's limits, checked: how many entries, how many bytes one value and the whole state may take,
 * and how long a key may be. The size of an entry, as these limits count it, is its key and value as JSON
 * carries them ({@link #valueBytes}) plus {@value #ENTRY_OVERHEAD} bytes for its version, timestamp and
 * bookkeeping; held in the heap it takes no more than that (Java keeps a character in 1 or 2 bytes).
 */
record StateLimits(int maxEntries, int maxValueBytes, long maxBytes, int maxKeyLength) {
    static final int ENTRY_OVERHEAD = 64;
    /** Percentage of a limit above which gw:status warns. */
    static final int WARN_PERCENT = 80;
    static final StateLimits DEFAULTS = new StateLimits(10_000, 64 * 1024, 8L * 1024 * 1024, 256);

    StateLimits {
        ConfigCheck.check(maxEntries >= 1, "maxEntries must be at least 1, not " + maxEntries);
        ConfigCheck.check(maxValueBytes >= 1, "maxValueBytes must be at least 1, not " + maxValueBytes);
        ConfigCheck.check(maxKeyLength >= 1 && maxKeyLength <= StateKeys.MAX_LENGTH,
                "maxKeyLength must be between 1 and " + StateKeys.MAX_LENGTH + ", not " + maxKeyLength);
        ConfigCheck.check(maxBytes >= maxValueBytes + maxKeyLength + ENTRY_OVERHEAD,
                "maxBytes (" + maxBytes + ") must hold at least one entry of maxValueBytes (" + maxValueBytes + ")");
    }

    static StateLimits of(StateConfig c, Map<String, ?> raw) {
        ConfigCheck check = new ConfigCheck(raw);
        return new StateLimits(check.intRange("maxEntries", c::maxEntries, 1, 10_000_000),
                check.intRange("maxValueBytes", c::maxValueBytes, 1, 256 * 1024 * 1024),
                check.range("maxBytes", c::maxBytes, 1, 64L * 1024 * 1024 * 1024),
                check.intRange("maxKeyLength", c::maxKeyLength, 1, StateKeys.MAX_LENGTH));
    }

    /**
     * The bytes a value takes by these limits' count: as JSON carries it (the state endpoint, gw:state
     * --json), so every listing of the whole state is bounded by {@code maxBytes} too: a string's UTF-8
     * with each character JSON escapes counted as its escape, bytes as base64, a number as 24.
     */
    static long valueBytes(Object value) {
        if (value instanceof String s) {
            return jsonLength(s);
        } else if (value instanceof byte[] b) {
            return 4L * ((b.length + 2) / 3);
        } else if (value instanceof Boolean) {
            return 5;
        }
        return 24;
    }

    /** The bytes an entry takes by these limits' count. */
    static long entryBytes(String key, Object value) {
        return jsonLength(key) + valueBytes(value) + ENTRY_OVERHEAD;
    }

    /** UTF-8 bytes of the text inside a JSON string, escapes counted as written (HTML-safe writers included). */
    static long jsonLength(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                n += 2;
            } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&' || c == '=' || c == '\''
                    || c == '\u2028' || c == '\u2029') {
                n += 6;
            } else if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Checks a key and value against the per-write limits; throws {@link StateLimitException}. */
    void checkWrite(String key, Object value) {
        if (key.length() > maxKeyLength) {
            throw refused("maxKeyLength", "key '" + StateKeys.quote(key) + "' is " + key.length()
                    + " characters, over the state's maxKeyLength of " + maxKeyLength);
        }
        long n = valueBytes(value);
        if (n > maxValueBytes) {
            throw refused("maxValueBytes", StateKeys.quote(key) + ": a value of " + bytes(n)
                    + " is over the state's maxValueBytes of " + bytes(maxValueBytes));
        }
    }

    static StateLimitException refused(String limit, String message) {
        return new StateLimitException(limit, message + " (write refused; limit "
                + limit + " of " + StateServiceComponent.PID + ")");
    }

    /** The usage as gw:status shows it, with {@code warning: } in front when a limit is near. */
    String usage(int entries, long bytes) {
        int entriesPercent = percent(entries, maxEntries);
        int bytesPercent = percent(bytes, maxBytes);
        String text = entries + " of " + maxEntries + " entries, " + bytes(bytes) + " of " + bytes(maxBytes);
        if (Math.max(entriesPercent, bytesPercent) >= WARN_PERCENT) {
            String which = entriesPercent >= bytesPercent ? entriesPercent + " % of maxEntries"
                    : bytesPercent + " % of maxBytes";
            return "warning: " + which + " used (" + text + "); writes are refused at 100 %";
        }
        return text;
    }

    static int percent(long used, long max) {
        return (int) Math.min(100, used * 100 / max);
    }

    /** {@code 812 B}, {@code 60.0 KiB}, {@code 8.0 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        } else if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
