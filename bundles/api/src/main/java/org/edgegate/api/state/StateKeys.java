package org.edgegate.api.state;

/**
 * Keys are hierarchical, {@code /}-separated: {@code sensor/th/temperature}, {@code camera/0/enabled}.
 * A key is not empty, has no empty segment, no leading or trailing {@code /}, no whitespace or control
 * characters, and is at most {@value #MAX_LENGTH} characters long.
 */
public final class StateKeys {
    public static final int MAX_LENGTH = 512;

    private StateKeys() {
    }

    public static String check(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("invalid state key '" + key + "': " + problem);
        }
        return key;
    }

    /** Null for a valid key, otherwise why it is not. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "empty";
        }
        if (key.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            return "empty segment";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "whitespace or control character at " + i;
            }
        }
        return null;
    }

    /** Joins segments: {@code join("sensor", "th", "T")} is {@code sensor/th/T}. */
    public static String join(String... segments) {
        return check(String.join("/", segments));
    }
}
