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
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateValues;
import org.edgegate.commands.Subcommands;
import org.edgegate.commands.Json;
import org.edgegate.commands.Text;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands of the serial feature, scope {@code gw}: {@code ports}, {@code sensors [--json]} and
 * {@code sensor add|remove|send ...} (subcommands, openHAB style: see docs/architecture.md).
 */
@Component(service = SerialCommands.class, immediate = true, property = {"osgi.command.scope=gw",
        "osgi.command.function=ports", "osgi.command.function=sensors", "osgi.command.function=sensor"})
public class SerialCommands {
    private static final long ADD_WAIT_MS = 3000;
    static final String ADD = "add <sensor id> <port> [<baud rate>] [<parser>] - add a sensor (a factory configuration"
            + " of org.edgegate.serial.sensor) reading <port> (/dev/ttyUSB0, socket://host:port, sim:th) at <baud rate>"
            + " with <parser> (dash, regex, csv, json, kv); left out, they take the configuration's defaults";
    static final String REMOVE = "remove <sensor id> - remove a sensor: delete its configuration (a file in etc/ is"
            + " deleted too); the port is closed";
    static final String SEND = "send <sensor id> <text...> - send a line of text (the sensor's terminator added) to"
            + " a sensor's device, e.g. a board command; several words are joined by single spaces";

    private final ServiceIndex<PortProvider> providers = new ServiceIndex<>(PortProvider.SCHEME);
    private final List<Sensor> sensors = new CopyOnWriteArrayList<>();
    private final Subcommands sensor = new Subcommands("gw:sensor")
            .on(ADD, a -> add(a.get(0), a.get(1), Subcommands.intArg(a, 2, "baud rate"), a.size() > 3 ? a.get(3) : null))
            .on(REMOVE, a -> remove(a.get(0)))
            .on(SEND, a -> send(a.get(0), String.join(" ", a.subList(1, a.size()))));
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
    public String sensors(@Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            @Descriptor("print JSON: one object per sensor with its health, statistics and last reading") boolean json) {
        List<Sensor> list = new ArrayList<>(sensors);
        list.sort(Comparator.comparing(Sensor::id));
        if (json) {
            return Json.write(list.stream().map(SerialCommands::json).toList());
        }
        if (list.isEmpty()) {
            return "no sensors configured (gw:sensor add <sensor id> <port>)";
        }
        Text.Table t = new Text.Table("ID", "PORT", "STATUS", ">LINES", ">ERRORS", ">DROPPED", "LAST VALUES", "LAST SEEN");
        Instant now = Instant.now();
        for (Sensor s : list) {
            SensorStatistics st = s.statistics();
            Health h = s.health();
            String values = s.lastReading().map(SerialCommands::values).orElse("-");
            String seen = st.lastSeen() == null ? "never" : Text.ago(Duration.between(st.lastSeen(), now));
            t.row(s.id(), s.port(), h.state(), st.lines(), st.parseErrors(), st.droppedLines(), values, seen);
            if (!h.reason().isEmpty()) {
                t.note("    " + h.reason());
            }
            if (st.lastError() != null && st.parseErrors() + st.droppedLines() > 0) {
                t.note("    last error: " + st.lastError());
            }
        }
        return t.toString();
    }

    @Descriptor("manage sensors:\n  " + ADD + "\n  " + REMOVE + "\n  " + SEND)
    public Object sensor(@Descriptor("add, remove or send, then its arguments (gw:sensor --help)") String... args)
            throws Exception {
        return sensor.run(args);
    }

    private String add(String id, String port, Integer baud, String parser) throws Exception {
        ConfigurationAdmin ca = requireConfigAdmin();
        if (!find(ca, id).isEmpty()) {
            throw new IllegalArgumentException("a sensor with id '" + id + "' exists already; remove it first"
                    + " (gw:sensor remove " + id + ")");
        }
        Configuration c = ca.getFactoryConfiguration(SensorSettings.FACTORY_PID, id, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("id", id);
        props.put("port", port);
        if (baud != null) {
            props.put("baud", baud);
        }
        if (parser != null) {
            props.put("parser", parser);
        }
        c.update(props);
        long until = System.currentTimeMillis() + ADD_WAIT_MS;
        while (System.currentTimeMillis() < until) {
            for (Sensor s : sensors) {
                if (s.id().equals(id) && s.health().state() != HealthState.STARTING) {
                    Health h = s.health();
                    return "sensor " + id + " added (" + c.getPid() + "): " + h.state()
                            + (h.reason().isEmpty() ? "" : " - " + h.reason());
                }
            }
            Thread.sleep(50);
        }
        return "sensor " + id + " added (" + c.getPid() + "); not running yet, see gw:sensors";
    }

    private String remove(String id) throws Exception {
        List<Configuration> configs = find(requireConfigAdmin(), id);
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("no sensor with id '" + id + "'");
        }
        for (Configuration c : configs) {
            c.delete();
        }
        return "sensor " + id + " removed";
    }

    private String send(String id, String line) throws IOException {
        for (Sensor s : sensors) {
            if (s.id().equals(id)) {
                s.send(line);
                return "sent to " + id + ": " + Escape.of(line);
            }
        }
        throw new IllegalArgumentException("no sensor with id '" + id + "'");
    }

    private static Map<String, Object> json(Sensor s) {
        SensorStatistics st = s.statistics();
        return Json.object(
                "id", s.id(),
                "port", s.port(),
                "state", s.health().state().name(),
                "reason", s.health().reason(),
                "lines", st.lines(),
                "bytes", st.bytes(),
                "parseErrors", st.parseErrors(),
                "droppedLines", st.droppedLines(),
                "reconnects", st.reconnects(),
                "linesPerSecond", st.linesPerSecond(),
                "lastLine", st.lastLine(),
                "lastError", st.lastError(),
                "lastSeen", st.lastSeen(),
                "values", s.lastReading().map(Reading::values).orElse(Map.of()),
                "units", s.lastReading().map(Reading::units).orElse(Map.of()));
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
