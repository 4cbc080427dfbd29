package org.edgegate.api.state;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/** Rules for state values: which types are allowed, how text is read as a value, how values print. */
public final class StateValues {
    private StateValues() {
    }

    /**
     * Checks a value and brings numbers to their canonical form: integral numbers that fit a long
     * become {@link Long}, all others {@link Double}.
     *
     * @throws IllegalArgumentException for null, a non-finite number or an unsupported type
     */
    public static Object normalize(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a state value cannot be null (remove the key instead)");
        }
        if (value instanceof Long || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("a state number must be finite: " + d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
            return d;
        }
        throw new IllegalArgumentException("not a state value type: " + value.getClass().getName()
                + " (use a number, boolean, string or byte[])");
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * Reads operator text as a value: a number ({@code 12}, {@code -5.5}), a boolean ({@code true},
     * {@code false}), anything else a string.
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no value");
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (text.length() <= 32 && NUMBER.matcher(text).matches()) {
            try {
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException notALong) {
                double d = Double.parseDouble(text);
                return Double.isFinite(d) ? normalize(d) : text;
            }
        }
        return text;
    }

    /** Prints a value for people: bytes as {@code bytes[n]:base64}. */
    public static String format(Object value) {
        if (value instanceof byte[] b) {
            return "bytes[" + b.length + "]:" + Base64.getEncoder().encodeToString(b);
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** Value equality that compares byte arrays by content. */
    public static boolean equal(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return a == null ? b == null : a.equals(b);
    }
}
