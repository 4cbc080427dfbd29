package org.edgegate.metrics.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The metric families of one scrape, written in the Prometheus text exposition format 0.0.4: a
 * {@code # HELP} and {@code # TYPE} line per family, then one line per sample with its labels. Label
 * values may hold anything (ids and units come from configuration and devices): backslash, double quote
 * and line feed are escaped as the format requires, so no value can break a line or forge a sample.
 * A family asked for twice is the same family; a sample with a label set it already has replaces it.
 */
final class Registry {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    enum Type {
        COUNTER, GAUGE;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A monotonically rising count; the name must end in {@code _total}. */
    Family counter(String name, String help) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        return family(name, Type.COUNTER, help);
    }

    /** A value that goes up and down. */
    Family gauge(String name, String help) {
        return family(name, Type.GAUGE, help);
    }

    private Family family(String name, Type type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        Family f = families.computeIfAbsent(name, n -> new Family(n, type, help));
        if (f.type != type) {
            throw new IllegalArgumentException(name + " is already a " + f.type.text());
        }
        return f;
    }

    /** Writes every family that has samples. */
    void write(Appendable out) throws IOException {
        for (Family f : families.values()) {
            if (f.samples.isEmpty()) {
                continue;
            }
            out.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type.text()).append('\n');
            for (Map.Entry<String, Double> s : f.samples.entrySet()) {
                out.append(f.name).append(s.getKey()).append(' ').append(number(s.getValue())).append('\n');
            }
        }
    }

    String text() {
        StringBuilder out = new StringBuilder();
        try {
            write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    /** One metric: name, type, help and its samples by label set. */
    static final class Family {
        private final String name;
        private final Type type;
        private final String help;
        private final Map<String, Double> samples = new LinkedHashMap<>();

        private Family(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        /**
         * Adds a sample.
         *
         * @param labels label name, value, name, value...; a null value is written as empty
         */
        Family add(double value, String... labels) {
            if (labels.length % 2 != 0) {
                throw new IllegalArgumentException("labels come in name, value pairs");
            }
            samples.put(labels(labels), value);
            return this;
        }

        Family add(boolean value, String... labels) {
            return add(value ? 1 : 0, labels);
        }
    }

    private static String labels(String[] pairs) {
        if (pairs.length == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            if (!LABEL_NAME.matcher(pairs[i]).matches() || pairs[i].startsWith("__")) {
                throw new IllegalArgumentException("not a label name: " + pairs[i]);
            }
            // a value from outside (an address, a source) never makes a label unbounded: 256 characters at most
            parts.add(pairs[i] + "=\"" + escapeLabel(bounded(pairs[i + 1])) + "\"");
        }
        return "{" + String.join(",", parts) + "}";
    }

    private static String bounded(String v) {
        return v == null || v.length() <= 256 ? v : v.substring(0, 253) + "...";
    }

    /** A label value: backslash, double quote and line feed escaped. */
    static String escapeLabel(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A help text: backslash and line feed escaped. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Integers without a fraction, others as Java writes them (Go's ParseFloat reads both); NaN, +Inf, -Inf. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
