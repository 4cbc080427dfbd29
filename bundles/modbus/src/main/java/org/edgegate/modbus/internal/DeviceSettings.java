package org.edgegate.modbus.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.edgegate.api.sensor.PortSettings;
import org.edgegate.api.sensor.PortSettings.FlowControl;
import org.edgegate.api.sensor.PortSettings.Parity;
import org.edgegate.api.sensor.PortSettings.StopBits;
import org.edgegate.config.ConfigCheck;
import org.edgegate.config.TypedConfig;

/**
 * One device's configuration, checked: the one place where the modbus bundle validates what DS typed
 * through {@link DeviceConfig}.
 */
record DeviceSettings(String id, String port, Line line, int unit, List<Register> registers, boolean littleWordOrder,
        long pollMs, long timeoutMs, int retries, long reconnectMinMs, long reconnectMaxMs) {


    /**
     * The bus a device is on: the provider's scheme and port URL, the line settings and the framing. Devices
     * whose lines are equal share one bus owner; the same port with other line settings is a conflict.
     */
    record Line(String scheme, String providerPort, PortSettings settings, boolean tcp) {
        /** Names the bus: what two devices must agree on to share it. */
        String key() {
            return providerPort;
        }

        /** Seconds a character takes on the wire (11 bits, as Modbus RTU counts), 0 for TCP. */
        double charSeconds() {
            return tcp || settings.baud() <= 0 ? 0 : 11.0 / settings.baud();
        }

        /** The silence between RTU frames: 3.5 characters, fixed at 1.75 ms above 19200 baud (the spec's rule). */
        long silenceNanos() {
            if (tcp || scheme.equals("socket")) {
                return 0; // a serial server times its own line
            }
            return settings.baud() > 19200 ? 1_750_000L : (long) (3.5 * charSeconds() * 1e9);
        }

        String describe() {
            if (tcp) {
                return "Modbus TCP " + providerPort.replaceFirst("^socket://", "");
            }
            PortSettings s = settings;
            return providerPort + " RTU " + s.baud() + " " + s.dataBits() + s.parity().name().charAt(0)
                    + (s.stopBits() == StopBits.TWO ? "2" : s.stopBits() == StopBits.ONE ? "1" : "1.5");
        }
    }

    static DeviceSettings from(Map<String, ?> props) {
        return from(TypedConfig.of(DeviceConfig.class, props), props);
    }

    /** @throws IllegalArgumentException naming the key and the bad value */
    static DeviceSettings from(DeviceConfig c, Map<String, ?> raw) {
        ConfigCheck check = new ConfigCheck(raw);
        String id = check.id(c::id);
        String port = check.required("port", c::port, "e.g. /dev/ttyUSB0?baud=9600, socket://host:4001, tcp://host:502")
                .strip();
        Line line = line(port);
        int unit = check.intRange("unit", c::unit, 1, 247);
        List<Register> registers = Register.parseAll(check.value("registers", c::registers,
                "name:table:address:type[*scale][+offset][:unit][:rw]"));
        ConfigCheck.check(!registers.isEmpty(), "no registers configured (registers = name:table:address:type, ...)");
        String order = check.value("wordOrder", c::wordOrder, "big or little").strip().toLowerCase(Locale.ROOT);
        ConfigCheck.check(order.equals("big") || order.equals("little"), "wordOrder must be big or little, not '"
                + order + "'");
        long poll = check.range("poll", c::poll, 1, 86_400_000);
        long timeout = check.range("timeout", c::timeout, 10, 60_000);
        int retries = check.intRange("retries", c::retries, 0, 10);
        long min = check.range("reconnectMin", c::reconnectMin, 10, Integer.MAX_VALUE);
        long max = check.range("reconnectMax", c::reconnectMax, 10, Integer.MAX_VALUE);
        ConfigCheck.check(max >= min, "reconnectMax (" + max + " ms) is less than reconnectMin (" + min + " ms)");
        return new DeviceSettings(id, port, line, unit, registers, order.equals("little"), poll, timeout, retries,
                min, max);
    }

    /**
     * The bus of a port: {@code tcp://host:port} is Modbus TCP through the {@code socket} provider; anything
     * else is RTU through the provider of its scheme (a bare path: {@code serial}) with the line settings of
     * its query, which is taken off before the port goes to the provider.
     */
    static Line line(String port) {
        if (port.regionMatches(true, 0, "tcp://", 0, 6)) {
            URI uri;
            try {
                uri = new URI(port);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("port '" + port + "' is not tcp://host:port: " + e.getMessage());
            }
            ConfigCheck.check(uri.getHost() != null, "port '" + port + "' has no host (tcp://host:502)");
            int p = uri.getPort() < 0 ? 502 : uri.getPort();
            return new Line("socket", "socket://" + uri.getHost() + ":" + p, PortSettings.of(0), true);
        }
        int q = port.indexOf('?');
        String path = q < 0 ? port : port.substring(0, q);
        ConfigCheck.check(!path.isBlank(), "port '" + port + "' has no device");
        int baud = 9600;
        int dataBits = 8;
        Parity parity = Parity.NONE;
        StopBits stop = StopBits.ONE;
        for (String kv : q < 0 ? new String[0] : port.substring(q + 1).split("&")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = (eq < 0 ? kv : kv.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : kv.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
            try {
                switch (k) {
                    case "baud" -> baud = Integer.parseInt(v);
                    case "databits" -> dataBits = Integer.parseInt(v);
                    case "parity" -> parity = Parity.valueOf(v);
                    case "stopbits" -> stop = switch (v) {
                        case "1" -> StopBits.ONE;
                        case "1.5" -> StopBits.ONE_POINT_FIVE;
                        case "2" -> StopBits.TWO;
                        default -> throw new IllegalArgumentException();
                    };
                    default -> throw new IllegalArgumentException("port '" + port + "': unknown setting '" + k
                            + "' (baud, parity, stopbits, databits)");
                }
            } catch (IllegalArgumentException e) {
                throw e.getMessage() != null && !(e instanceof NumberFormatException) ? e
                        : new IllegalArgumentException("port '" + port + "': bad " + k + " '" + v + "'");
            }
        }
        ConfigCheck.check(baud >= 300 && baud <= 4_000_000, "port '" + port + "': baud must be 300-4000000");
        ConfigCheck.check(dataBits >= 7 && dataBits <= 8, "port '" + port + "': databits must be 7 or 8");
        java.util.regex.Matcher m = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):").matcher(path);
        String scheme = m.find() && !path.matches("^[A-Za-z]:\\\\.*") ? m.group(1).toLowerCase(Locale.ROOT) : "serial";
        return new Line(scheme, path, new PortSettings(baud, dataBits, parity, stop, FlowControl.NONE), false);
    }
}
