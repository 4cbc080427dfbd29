package org.edgegate.modbus.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.commands.Subcommands;
import org.edgegate.commands.Json;
import org.edgegate.commands.Text;
import org.edgegate.modbus.internal.Device.Fault;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code gw:modbus}: the buses and their devices with polls and faults by kind ({@code list}, the default;
 * {@code --json}), and {@code write <id> <name> <value>}, which returns the value read back.
 */
@Component(service = ModbusCommands.class, immediate = true,
        property = {"osgi.command.scope=gw", "osgi.command.function=modbus"})
public class ModbusCommands {
    static final String LIST = "list [--json] - the buses and their devices: status, polls, faults by kind (timeouts,"
            + " damaged frames, Modbus exceptions, failed writes), the last fault and the last values";
    static final String WRITE = "write <device id> <register name> <value> - write a register or coil marked :rw"
            + " (a number, or true/false/on/off for a coil) and read it back; prints the value read back";

    @Reference
    private ModbusHub hub;

    /** Every sensor: this bundle's devices among them, to show those whose configuration failed. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Sensor> sensors;

    private final Subcommands modbus = new Subcommands("gw:modbus")
            .on(LIST, a -> a.isEmpty() ? list() : json())
            .on(WRITE, a -> write(a.get(0), a.get(1), a.get(2)));

    @Descriptor("Modbus devices:\n  " + LIST + "\n  " + WRITE)
    public Object modbus(@Descriptor("list [--json], or write <device id> <name> <value>") String... args)
            throws Exception {
        if (args.length == 0) {
            return list();
        }
        if (args.length == 1 && args[0].equals("--json")) {
            return json();
        }
        return modbus.run(args);
    }

    private String write(String id, String name, String value) throws Exception {
        try {
            String back = hub.write(id, name, value).get(Bus.WRITE_WAIT_MS, TimeUnit.MILLISECONDS);
            return id + "/" + name + " written, read back: " + back;
        } catch (ExecutionException e) {
            throw new IllegalStateException(id + "/" + name + " not written: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException(id + "/" + name + ": no result within " + Bus.WRITE_WAIT_MS + " ms");
        }
    }

    private String list() {
        List<Bus> buses = new ArrayList<>(hub.buses());
        if (buses.isEmpty() && failed().isEmpty()) {
            return "no Modbus device configured (factory PID " + DeviceConfig.FACTORY_PID + "; see docs/modbus.md)";
        }
        buses.sort(Comparator.comparing(b -> b.line().key()));
        StringBuilder out = new StringBuilder();
        Instant now = Instant.now();
        for (Bus b : buses) {
            Health h = b.health();
            out.append("bus ").append(b.line().describe()).append("  ").append(h.state())
                    .append(h.reason().isEmpty() ? "" : " - " + h.reason())
                    .append("  requests ").append(b.requests()).append("  reconnects ").append(b.reconnects())
                    .append(System.lineSeparator());
            Text.Table t = new Text.Table("  ID", ">UNIT", "STATUS", ">POLLS", ">POLLS/S", ">TIMEOUTS", ">FRAMES",
                    ">EXCEPTIONS", ">WRITES", ">FAILED WRITES", "LAST VALUES");
            List<Device> devices = new ArrayList<>(b.devices());
            devices.sort(Comparator.comparing(Device::id));
            for (Device d : devices) {
                Health dh = d.health();
                t.row("  " + d.id(), d.settings().unit(), dh.state(), d.polls(),
                        String.format(java.util.Locale.ROOT, "%.1f", d.pollsPerSecond()), d.faults(Fault.TIMEOUT),
                        d.faults(Fault.FRAME), d.faults(Fault.EXCEPTION), d.writes(), d.faults(Fault.WRITE),
                        d.lastReading().map(r -> Text.shorten(r.values().toString(), 60)).orElse("-"));
                if (!d.lastFault().isEmpty()) {
                    t.note("      last fault " + Text.ago(Duration.between(d.lastFaultTime(), now)) + ": "
                            + d.lastFault());
                }
                if (!dh.reason().isEmpty()) {
                    t.note("      " + dh.reason());
                }
            }
            out.append(t);
        }
        for (DeviceComponent c : failed()) {
            out.append("device ").append(c.id()).append("  ").append(c.health().state()).append(" - ")
                    .append(c.health().reason()).append(System.lineSeparator());
        }
        return out.toString();
    }

    private List<DeviceComponent> failed() {
        List<Sensor> list = sensors;
        return list == null ? List.of() : list.stream().filter(s -> s instanceof DeviceComponent c && c.device().isEmpty())
                .map(DeviceComponent.class::cast).toList();
    }

    private String json() {
        List<Map<String, Object>> out = new ArrayList<>();
        long now = System.currentTimeMillis(); // when the counters were read, for rates taken from two samples
        for (Bus b : hub.buses()) {
            for (Device d : b.devices()) {
                out.add(Json.object("id", d.id(), "time", now, "bus", b.line().describe(), "unit", d.settings().unit(),
                        "state", d.health().state().name(), "reason", d.health().reason(), "polls", d.polls(),
                        "answered", d.answered(), "pollsPerSecond", d.pollsPerSecond(),
                        "timeouts", d.faults(Fault.TIMEOUT), "frameErrors", d.faults(Fault.FRAME),
                        "exceptions", d.faults(Fault.EXCEPTION), "writes", d.writes(),
                        "failedWrites", d.faults(Fault.WRITE), "lastFault", d.lastFault(), "lastWrite", d.lastWrite(),
                        "busRequests", b.requests(), "busReconnects", b.reconnects(),
                        "values", d.lastReading().map(r -> (Object) r.values()).orElse(Map.of())));
            }
        }
        out.sort(Comparator.comparing(m -> String.valueOf(m.get("id"))));
        return Json.write(out);
    }
}
