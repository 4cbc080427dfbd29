package org.edgegate.serial.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateValues;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands of the serial feature, scope {@code gw}: {@code ports}, {@code sensors},
 * {@code sensor-add}, {@code sensor-remove}, {@code sensor-send}; the dashed ones are registered for
 * Gogo by the shell bundle's whiteboard (service properties {@code edgegate.command.*}).
 */
@Component(service = SerialCommands.class, immediate = true, property = {"osgi.command.scope=gw", "osgi.command.function=ports",
        "osgi.command.function=sensors",
        // dashed names: registered for Gogo by the shell bundle's whiteboard, served by sensorAdd etc.
        "edgegate.command.scope=gw", "edgegate.command.function=sensor-add",
        "edgegate.command.function=sensor-remove", "edgegate.command.function=sensor-send"})
public class SerialCommands {
    private static final long ADD_WAIT_MS = 3000;

    private final ServiceIndex<PortProvider> providers = new ServiceIndex<>(PortProvider.SCHEME);
    private final List<Sensor> sensors = new CopyOnWriteArrayList<>();
    private volatile ConfigurationAdmin configAdmin;
    @Descriptor("list serial ports: devices seen by jSerialComm with their stable /dev/serial/by-id and by-path names, simulated boards")
    public String ports() {
        StringBuilder b = new StringBuilder();
        providers.sorted().forEach((scheme, provider) -> {
            List<PortProvider.PortDescription> ports;
            try {
                ports = provider.ports();
            } catch (RuntimeException e) {
                b.append(String.format("%-40s %s%n", scheme + ":", "cannot list: " + e.getMessage()));
                return;
            }
            for (PortProvider.PortDescription p : ports) {
                b.append(String.format("%-40s %s%n", p.port(), p.description()));
                for (String alias : p.alias().isEmpty() ? new String[0] : p.alias().split(", ")) {
                    b.append(String.format("%-40s %s%n", "  " + alias, "(stable name of " + p.port() + ": prefer it)"));
                }
            }
            if (ports.isEmpty() && scheme.equals("socket")) {
                b.append(String.format("%-40s %s%n", "socket://<host>:<port>", "serial-over-TCP server (ser2net, ESP-Link)"));
            } else if (ports.isEmpty() && scheme.equals("serial")) {
                b.append(String.format("%-40s %s%n", "(no serial device found)", "plug a board in, or give a pty path"));
            }
        });
        return b.toString();
    }

    @Descriptor("list the configured sensors: id, port, status, lines, errors, last values, last seen")
    public String sensors() {
        List<Sensor> list = new ArrayList<>(sensors);
        if (list.isEmpty()) {
            return "no sensors configured (gw:sensor-add <id> <port> [baud] [parser])";
        }
        list.sort(Comparator.comparing(Sensor::id));
        StringBuilder b = new StringBuilder(String.format("%-12s %-26s %-12s %9s %7s %7s  %-34s %s%n", "ID", "PORT",
                "STATUS", "LINES", "ERRORS", "DROPPED", "LAST VALUES", "LAST SEEN"));
        Instant now = Instant.now();
        for (Sensor s : list) {
            SensorStatistics st = s.statistics();
            Health h = s.health();
            String values = s.lastReading().map(SerialCommands::values).orElse("-");
            String seen = st.lastSeen() == null ? "never" : ago(Duration.between(st.lastSeen(), now));
            b.append(String.format("%-12s %-26s %-12s %9d %7d %7d  %-34s %s%n", s.id(), s.port(), h.state(),
                    st.lines(), st.parseErrors(), st.droppedLines(), values, seen));
            if (!h.reason().isEmpty()) {
                b.append("    ").append(h.reason()).append(System.lineSeparator());
            }
            if (st.lastError() != null && st.parseErrors() + st.droppedLines() > 0) {
                b.append("    last error: ").append(st.lastError()).append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    @Descriptor("add a sensor (a factory configuration of org.edgegate.serial.sensor) reading <port> with the dash parser at 115200 baud")
    public String sensorAdd(@Descriptor("sensor id, used in state keys sensor/<id>/<channel>") String id,
            @Descriptor("port: /dev/ttyUSB0, socket://host:port or sim:th") String port) throws Exception {
        return sensorAdd(id, port, 115200, "dash");
    }

    @Descriptor("add a sensor reading <port> at <baud> with the dash parser")
    public String sensorAdd(@Descriptor("sensor id") String id, @Descriptor("port") String port,
            @Descriptor("baud rate") int baud) throws Exception {
        return sensorAdd(id, port, baud, "dash");
    }

    @Descriptor("add a sensor reading <port> at <baud> with <parser> (dash, regex, csv, json, kv)")
    public String sensorAdd(@Descriptor("sensor id") String id, @Descriptor("port") String port,
            @Descriptor("baud rate") int baud, @Descriptor("parser name") String parser) throws Exception {
        ConfigurationAdmin ca = requireConfigAdmin();
        if (!find(ca, id).isEmpty()) {
            throw new IllegalArgumentException("a sensor with id '" + id + "' exists already; remove it first (gw:sensor-remove "
                    + id + ")");
        }
        Configuration c = ca.getFactoryConfiguration(SensorSettings.FACTORY_PID, id, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("id", id);
        props.put("port", port);
        props.put("baud", baud);
        props.put("parser", parser);
        c.update(props);
        long until = System.currentTimeMillis() + ADD_WAIT_MS;
        while (System.currentTimeMillis() < until) {
            for (Sensor s : sensors) {
                if (s.id().equals(id) && s.health().state() != org.edgegate.api.health.HealthState.STARTING) {
                    Health h = s.health();
                    return "sensor " + id + " added (" + c.getPid() + "): " + h.state()
                            + (h.reason().isEmpty() ? "" : " - " + h.reason());
                }
            }
            Thread.sleep(50);
        }
        return "sensor " + id + " added (" + c.getPid() + "); not running yet, see gw:sensors";
    }

    @Descriptor("remove a sensor: delete its configuration (a file in etc/ is deleted too); the port is closed")
    public String sensorRemove(@Descriptor("sensor id") String id) throws Exception {
        List<Configuration> configs = find(requireConfigAdmin(), id);
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("no sensor with id '" + id + "'");
        }
        for (Configuration c : configs) {
            c.delete();
        }
        return "sensor " + id + " removed";
    }

    @Descriptor("send a line of text (the sensor's terminator added) to a sensor's device, e.g. a board command")
    public String sensorSend(@Descriptor("sensor id") String id,
            @Descriptor("the text; several words are joined by single spaces") String... text) throws IOException {
        for (Sensor s : sensors) {
            if (s.id().equals(id)) {
                String line = String.join(" ", text);
                s.send(line);
                return "sent to " + id + ": " + Escape.of(line);
            }
        }
        throw new IllegalArgumentException("no sensor with id '" + id + "'");
    }

    private ConfigurationAdmin requireConfigAdmin() throws IOException {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            throw new IOException("Configuration Admin is not running");
        }
        return ca;
    }

    private static List<Configuration> find(ConfigurationAdmin ca, String id) throws IOException {
        String filter = "(&(service.factoryPid=" + SensorSettings.FACTORY_PID + ")(id=" + ldap(id) + "))";
        try {
            Configuration[] found = ca.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad id '" + id + "'", e);
        }
    }

    private static String ldap(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String values(Reading r) {
        StringBuilder b = new StringBuilder();
        r.values().forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=')
                .append(StateValues.format(StateValues.normalize(v))).append(r.units().getOrDefault(k, "")));
        return b.toString();
    }

    private static String ago(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return String.format("%.1f s ago", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return (ms / 60_000) + " min ago";
        }
        return (ms / 3_600_000) + " h ago";
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(PortProvider p, Map<String, Object> props) {
        providers.add(p, props);
    }

    void removeProvider(PortProvider p, Map<String, Object> props) {
        providers.remove(p, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSensor(Sensor s) {
        sensors.add(s);
    }

    void removeSensor(Sensor s) {
        sensors.remove(s);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigAdmin(ConfigurationAdmin ca) {
        configAdmin = ca;
    }

    void unsetConfigAdmin(ConfigurationAdmin ca) {
        if (configAdmin == ca) {
            configAdmin = null;
        }
    }
}
