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
import org.edgegate.config.ConfigCheck;
import org.edgegate.config.TypedConfig;
import org.edgegate.serial.internal.parser.Values;

/**
 * One sensor's configuration, checked: the one place where the serial bundle validates what DS typed
 * through {@link SensorConfig} (whose annotation holds every default).
 */
record SensorSettings(String id, String port, String scheme, PortSettings portSettings, String parser,
        Map<String, Object> parserOptions, String[] channels, byte[] terminator, Charset charset,
        int maxLineLength, long silenceTimeoutMs, long reconnectMinMs, long reconnectMaxMs) {

    static final String FACTORY_PID = "org.edgegate.serial.sensor";
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");

    /** From raw properties, typed as DS types them (for tests and tools). */
    static SensorSettings from(Map<String, ?> props) {
        return from(TypedConfig.of(SensorConfig.class, props), props);
    }

    /**
     * Checks a sensor's typed configuration; {@code raw} supplies the open-ended {@code parser.*} keys, the
     * PID (an id by default) and the bad values quoted in messages.
     *
     * @throws IllegalArgumentException naming the key and the bad value
     */
    static SensorSettings from(SensorConfig c, Map<String, ?> raw) {
        ConfigCheck check = new ConfigCheck(raw);
        String id = check.id(c::id);
        String port = check.required("port", c::port, "e.g. /dev/ttyUSB0, socket://host:4001, sim:th");
        int baud = check.intRange("baud", c::baud, 1, 100_000_000);
        int dataBits = check.intRange("dataBits", c::dataBits, 5, 8);
        Parity parity = check.choice("parity", c::parity, Parity.class);
        String stop = check.value("stopBits", c::stopBits, "text").trim();
        StopBits stopBits = switch (stop) {
            case "1", "ONE" -> StopBits.ONE;
            case "1.5", "ONE_POINT_FIVE" -> StopBits.ONE_POINT_FIVE;
            case "2", "TWO" -> StopBits.TWO;
            default -> throw new IllegalArgumentException("stopBits must be 1, 1.5 or 2, not '" + stop + "'");
        };
        FlowControl flow = check.choice("flowControl", c::flowControl, FlowControl.class);
        String parser = check.required("parser", c::parser, "dash, regex, csv, json, kv");
        Map<String, Object> parserOptions = new TreeMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith("parser.") && v != null) {
                parserOptions.put(k, v);
            }
        });
        String[] channels = check.value("channels", c::channels, "a list of KEY:name[:unit[:scale[:offset]]]");
        ChannelMapping.parse(channels); // fail early on a wrong mapping
        String terminatorText = check.value("terminator", c::terminator, "text");
        byte[] terminator = terminator(terminatorText);
        String charsetName = check.value("charset", c::charset, "text");
        Charset charset;
        try {
            charset = Charset.forName(charsetName.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown charset '" + charsetName + "'");
        }
        int maxLineLength = check.intRange("maxLineLength", c::maxLineLength, 8, 1 << 20);
        long silence = check.range("silenceTimeout", c::silenceTimeout, 0, Integer.MAX_VALUE);
        long min = check.range("reconnectMin", c::reconnectMin, 10, Integer.MAX_VALUE);
        long max = check.range("reconnectMax", c::reconnectMax, 10, Integer.MAX_VALUE);
        ConfigCheck.check(max >= min, "reconnectMax (" + max + " ms) is less than reconnectMin (" + min + " ms)");
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
