package org.edgegate.serial.internal.parser;

import java.util.Map;
import java.util.regex.Pattern;

import org.edgegate.api.sensor.LineParseException;

/** How parsers read text as a channel value, and read their options. Shared by every built-in parser. */
public final class Values {
    private Values() {
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * A number when the text is one ({@code 25} a Long, {@code -5.5} a Double), otherwise the text
     * itself: boards send "ERR" or "nan" and those stay visible as strings.
     */
    public static Object of(String text) {
        String t = text.trim();
        if (t.length() <= 40 && NUMBER.matcher(t).matches()) {
            boolean integral = t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0;
            if (integral) {
                try {
                    return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                } catch (NumberFormatException tooLong) {
                    // falls through to double
                }
            }
            double d = Double.parseDouble(t);
            if (Double.isFinite(d)) {
                return d;
            }
        }
        return t;
    }

    /** Puts a channel, refusing an empty name and a name seen twice in one line. */
    static void put(Map<String, Object> values, String key, Object value, String line) throws LineParseException {
        if (key.isEmpty()) {
            throw new LineParseException("empty channel name");
        }
        if (values.putIfAbsent(key, value) != null) {
            throw new LineParseException("channel '" + key + "' appears twice");
        }
    }

    /** A string option of the sensor configuration, {@code fallback} when absent or blank. */
    static String option(Map<String, Object> options, String key, String fallback) {
        Object v = options.get(key);
        if (v instanceof String[] a) {
            v = a.length == 0 ? null : String.join(",", a);
        }
        String s = v == null ? null : v.toString();
        return s == null || s.isBlank() ? fallback : s;
    }

    /** Undoes the escapes people type in configuration files: {@code \t}, {@code \n}, {@code \r}, {@code \\}. */
    public static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 's' -> b.append(' ');
                    case '\\' -> b.append('\\');
                    default -> b.append('\\').append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
