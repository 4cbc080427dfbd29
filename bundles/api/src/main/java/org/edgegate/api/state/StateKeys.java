package org.edgegate.api.state;

import java.util.Locale;

import org.edgegate.api.health.Ids;

/**
 * Keys are hierarchical, {@code /}-separated: {@code sensor/th/temperature}, {@code camera/0/enabled}.
 * A key is not empty, has no empty segment, no leading or trailing {@code /}, and is at most
 * {@value #MAX_LENGTH} characters long. Its characters are letters, digits and printable punctuation:
 * no whitespace, control, format (e.g. bidirectional overrides), private-use, unassigned or lone
 * surrogate characters, and none of {@value #FORBIDDEN}: {@code +} and {@code #} are MQTT wildcards (keys
 * become topics), {@code "} and {@code \} need quoting everywhere else. The state service may be configured
 * with a shorter maximum.
 */
public final class StateKeys {
    public static final int MAX_LENGTH = 512;
    /** Printable characters a key never holds. */
    public static final String FORBIDDEN = "+#\"\\";

    private StateKeys() {
    }

    public static String check(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("invalid state key '" + quote(key) + "': " + problem);
        }
        return key;
    }

    /** Null for a valid key, otherwise why it is not. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "empty";
        }
        if (key.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters (" + key.length() + ")";
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            return "empty segment";
        }
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "whitespace or control character at " + i;
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "'" + Character.toString(c) + "' at " + i + " (keys hold none of " + FORBIDDEN + ")";
            }
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || type == Character.SURROGATE) {
                return "unprintable character U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at " + i;
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** A key (or any text from outside) fit to quote in a message: {@link Ids#quote}. */
    public static String quote(String key) {
        return Ids.quote(key);
    }

    /** Joins segments: {@code join("sensor", "th", "T")} is {@code sensor/th/T}. */
    public static String join(String... segments) {
        return check(String.join("/", segments));
    }
}
