package org.edgegate.commands;

import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * A small JSON writer for command output ({@code --json}) and status pages, with the project's one
 * convention for values JSON has no type for: bytes as {@code {"base64": "..."}}, an instant as its ISO-8601
 * text, a non-finite number as null. Writes maps (keys as strings), collections, arrays of objects,
 * records' fields are not reflected: pass maps.
 */
public final class Json {
    private Json() {
    }

    /** An object of key/value pairs in this order: {@code object("id", id, "state", state)}. */
    public static Map<String, Object> object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return m;
    }

    public static String write(Object value) {
        StringBuilder b = new StringBuilder(128);
        value(b, value);
        return b.toString();
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())
                || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            b.append("null");
        } else if (v instanceof Number) {
            b.append(v);
        } else if (v instanceof byte[] bytes) {
            b.append("{\"base64\":");
            string(b, Base64.getEncoder().encodeToString(bytes));
            b.append('}');
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            array(b, c.toArray());
        } else if (v instanceof Object[] a) {
            array(b, a);
        } else if (v instanceof Instant t) {
            string(b, t.toString());
        } else {
            string(b, v.toString());
        }
    }

    private static void array(StringBuilder b, Object[] items) {
        b.append('[');
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ",");
            value(b, items[i]);
        }
        b.append(']');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
