package org.edgegate.serial.internal;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.sensor.PortSettings;
import org.edgegate.api.sensor.PortSettings.FlowControl;
import org.edgegate.api.sensor.PortSettings.Parity;
import org.edgegate.api.sensor.PortSettings.StopBits;
import org.edgegate.api.state.StateKeys;
import org.edgegate.serial.internal.parser.Values;

/**
 * One sensor's configuration, read and checked from its Configuration Admin properties (which may be
 * strings from a {@code .cfg} file or typed values from the Web Console).
 */
record SensorSettings(String id, String port, String scheme, PortSettings portSettings, String parser,
        Map<String, Object> parserOptions, String[] channels, byte[] terminator, Charset charset,
        int maxLineLength, long silenceTimeoutMs, long reconnectMinMs, long reconnectMaxMs) {

    static final String FACTORY_PID = "org.edgegate.serial.sensor";
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");

    /** @throws IllegalArgumentException with a message for the operator */
    static SensorSettings from(Map<String, ?> props) {
        String id = string(props, "id", null);
        if (id == null) {
            // a file etc/org.edgegate.serial.sensor-th.cfg gets the PID org.edgegate.serial.sensor~th
            String pid = string(props, "service.pid", "");
            int tilde = pid.indexOf('~');
            id = tilde >= 0 ? pid.substring(tilde + 1) : null;
        }
        if (id == null) {
            throw new IllegalArgumentException("no id configured");
        }
        if (StateKeys.problem(id) != null || id.contains("/")) {
            throw new IllegalArgumentException("id '" + id + "' cannot be a state key segment (no '/', spaces or control characters)");
        }
        String port = string(props, "port", null);
        if (port == null) {
            throw new IllegalArgumentException("no port configured (e.g. /dev/ttyUSB0, socket://host:4001, sim:th)");
        }
        int baud = integer(props, "baud", 115200, 1, 100_000_000);
        int dataBits = integer(props, "dataBits", 8, 5, 8);
        Parity parity = choice(props, "parity", Parity.NONE, Parity.class);
        StopBits stopBits = switch (string(props, "stopBits", "1")) {
            case "1", "ONE" -> StopBits.ONE;
            case "1.5", "ONE_POINT_FIVE" -> StopBits.ONE_POINT_FIVE;
            case "2", "TWO" -> StopBits.TWO;
            default -> throw new IllegalArgumentException("stopBits must be 1, 1.5 or 2, not '"
                    + string(props, "stopBits", "") + "'");
        };
        FlowControl flow = choice(props, "flowControl", FlowControl.NONE, FlowControl.class);
        String parser = string(props, "parser", "dash");
        Map<String, Object> parserOptions = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("parser.") && v != null) {
                parserOptions.put(k, v);
            }
        });
        String[] channels = strings(props.get("channels"));
        ChannelMapping.parse(channels); // fail early on a wrong mapping
        byte[] terminator = terminator(string(props, "terminator", "LF"));
        Charset charset;
        try {
            charset = Charset.forName(string(props, "charset", "UTF-8"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown charset '" + string(props, "charset", "") + "'");
        }
        int maxLineLength = integer(props, "maxLineLength", 1024, 8, 1 << 20);
        long silence = integer(props, "silenceTimeout", 0, 0, Integer.MAX_VALUE);
        long min = integer(props, "reconnectMin", 500, 10, Integer.MAX_VALUE);
        long max = integer(props, "reconnectMax", 30_000, 10, Integer.MAX_VALUE);
        if (max < min) {
            throw new IllegalArgumentException("reconnectMax (" + max + " ms) is less than reconnectMin (" + min + " ms)");
        }
        return new SensorSettings(id, port, schemeOf(port), new PortSettings(baud, dataBits, parity, stopBits, flow),
                parser, Map.copyOf(parserOptions), channels, terminator, charset, maxLineLength, silence, min, max);
    }

    /** The port provider scheme of a port URL; a bare device path is {@code serial}. */
    static String schemeOf(String port) {
        Matcher m = SCHEME.matcher(port);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "serial";
    }

    /** True when going from this to {@code next} needs the port closed and opened again. */
    boolean needsReopen(SensorSettings next) {
        return !id.equals(next.id) || !port.equals(next.port) || !portSettings.equals(next.portSettings)
                || !java.util.Arrays.equals(terminator, next.terminator) || !charset.equals(next.charset)
                || maxLineLength != next.maxLineLength || reconnectMinMs != next.reconnectMinMs
                || reconnectMaxMs != next.reconnectMaxMs;
    }

    /** True when the parser or the mapping changed. */
    boolean pipelineDiffers(SensorSettings next) {
        return !parser.equals(next.parser) || !parserOptions.equals(next.parserOptions)
                || !java.util.Arrays.equals(channels, next.channels);
    }

    String terminatorName() {
        return terminator.length == 2 ? "CRLF" : terminator[0] == '\r' ? "CR" : "LF";
    }

    static byte[] terminator(String text) {
        String t = Values.unescape(text);
        return switch (t.toUpperCase(Locale.ROOT)) {
            case "\n", "LF" -> new byte[] {'\n'};
            case "\r\n", "CRLF" -> new byte[] {'\r', '\n'};
            case "\r", "CR" -> new byte[] {'\r'};
            default -> throw new IllegalArgumentException("terminator must be LF, CRLF or CR (or \\n, \\r\\n, \\r), not '"
                    + Escape.of(text) + "'");
        };
    }

    static String string(Map<String, ?> props, String key, String fallback) {
        Object v = props.get(key);
        if (v instanceof String[] a) {
            v = a.length == 0 ? null : a[0];
        }
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? fallback : s;
    }

    static int integer(Map<String, ?> props, String key, int fallback, int min, int max) {
        Object v = props.get(key);
        long n;
        if (v == null || v.toString().isBlank()) {
            return fallback;
        } else if (v instanceof Number num) {
            n = num.longValue();
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
            }
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
        }
        return (int) n;
    }

    private static <E extends Enum<E>> E choice(Map<String, ?> props, String key, E fallback, Class<E> type) {
        String s = string(props, key, fallback.name());
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", not '" + s + "'");
        }
    }

    private static String[] strings(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String[] a) {
            return a.clone();
        }
        if (v instanceof Iterable<?> it) {
            java.util.List<String> l = new java.util.ArrayList<>();
            it.forEach(o -> l.add(String.valueOf(o)));
            return l.toArray(String[]::new);
        }
        return new String[] {v.toString()};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorSettings s && !needsReopen(s) && !pipelineDiffers(s)
                && silenceTimeoutMs == s.silenceTimeoutMs && parser.equals(s.parser);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, port);
    }
}
