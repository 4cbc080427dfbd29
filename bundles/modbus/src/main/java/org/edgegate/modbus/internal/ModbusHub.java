package org.edgegate.modbus.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValidator;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.ReadingListeners;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The buses of this bundle, one per port, shared by the devices configured on it; the readings' way out
 * (state keys {@code sensor/<id>/<name>} and every {@link ReadingListener}); and writes asked through the
 * state: a put on {@code modbus/<id>/<name>} writes that register (checked first by the validator, so
 * gw:state, ZeroMQ and MQTT get the same refusal).
 */
@Component(service = {ModbusHub.class, StateListener.class, StateValidator.class},
        property = StateListener.PREFIX + "=" + ModbusHub.WRITE_PREFIX)
public class ModbusHub implements StateListener, StateValidator {
    static final String WRITE_PREFIX = "modbus/";
    /** Readings waiting per device for a slow listener, as for serial sensors. */
    static final int DEPTH = 1024;

    @Reference(service = LoggerFactory.class)
    private volatile Logger log;

    private final Map<String, PortProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, Bus> buses = new ConcurrentHashMap<>();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final ReadingListeners listeners = new ReadingListeners("edgegate-modbus-listener", DEPTH,
            ConnectorLog.of((f, a) -> log.info(f, a), (f, a) -> log.warn(f, a),
                    (f, a) -> log.debug(f, a)));
    private volatile StateService state;
    private volatile long lastOutputWarning;

    /**
     * Puts a device on the bus of its port, opening the bus when it is the first.
     *
     * @throws IllegalArgumentException when its id is taken or its port is open with other line settings
     */
    synchronized void attach(Device d) {
        DeviceSettings s = d.settings();
        Device other = devices.get(s.id());
        if (other != null) {
            throw new IllegalArgumentException("modbus device id '" + s.id() + "' is already used on "
                    + other.settings().port() + "; give this configuration another id");
        }
        Bus bus = buses.get(s.line().key());
        if (bus != null && !bus.line().equals(s.line())) {
            throw new IllegalArgumentException("port " + s.line().key() + " is already open as " + bus.line().describe()
                    + " for " + String.join(", ", bus.devices().stream().map(Device::id).toList())
                    + "; devices on one bus need the same line settings");
        }
        if (bus == null) {
            bus = new Bus(s.line(), s.reconnectMinMs(), s.reconnectMaxMs(), providers::get,
                    ConnectorLog.of((f, a) -> log.info(f, a), (f, a) -> log.warn(f, a),
                            (f, a) -> log.debug(f, a)));
            buses.put(s.line().key(), bus);
            bus.start();
        }
        devices.put(s.id(), d);
        bus.attach(d);
    }

    /** Takes a device off its bus; the bus closes its port when it was the last one. */
    synchronized void detach(Device d) {
        devices.remove(d.id(), d);
        Bus bus = buses.get(d.settings().line().key());
        if (bus != null && bus.detach(d)) {
            buses.remove(d.settings().line().key());
            bus.stop(Bus.STOP_GRACE_MS);
        }
    }

    Optional<Bus> bus(Device d) {
        return Optional.ofNullable(buses.get(d.settings().line().key()));
    }

    Collection<Bus> buses() {
        return List.copyOf(buses.values());
    }

    Optional<Device> device(String id) {
        return Optional.ofNullable(devices.get(id));
    }

    /**
     * Writes {@code value} to register {@code name} of device {@code id} and reads it back.
     *
     * @throws IllegalArgumentException for an unknown device or register, a read-only one, or a bad value
     */
    CompletableFuture<String> write(String id, String name, Object value) {
        Device d = devices.get(id);
        if (d == null) {
            throw new IllegalArgumentException("no modbus device '" + id + "'");
        }
        Register r = d.register(name).orElseThrow(() -> new IllegalArgumentException("device " + id
                + " has no register '" + name + "'"));
        if (!r.writable()) {
            throw new IllegalArgumentException(id + "/" + name + " is not writable (add :rw to its map entry)");
        }
        r.encode(value, d.settings().littleWordOrder()); // refuse a bad value here, not on the bus thread
        Bus bus = buses.get(d.settings().line().key());
        if (bus == null) {
            throw new IllegalArgumentException("device " + id + " has no bus");
        }
        return bus.write(d, r, value);
    }

    void deliver(Reading r) {
        StateService s = state;
        if (s != null) {
            for (Map.Entry<String, Object> e : r.values().entrySet()) {
                try {
                    s.put("sensor/" + r.sensorId() + "/" + e.getKey(), e.getValue());
                } catch (RuntimeException ex) {
                    long now = System.currentTimeMillis();
                    if (now - lastOutputWarning > 10_000) { // at most one line every 10 s
                        lastOutputWarning = now;
                        log.warn("modbus {}: cannot write sensor/{}/{}: {}", r.sensorId(), r.sensorId(), e.getKey(),
                                ex.toString());
                    }
                }
            }
        }
        listeners.publish(r);
    }

    // ---- writes through the state: modbus/<id>/<name> ----

    /** The device id and register name of a write key, or null when it is not one. */
    private static String[] target(String key) {
        String[] parts = key.substring(WRITE_PREFIX.length()).split("/", -1);
        return parts.length == 2 ? parts : null;
    }

    @Override
    public String problem(String key, Object value) {
        String[] t = target(key);
        if (t == null) {
            return "modbus writes go to modbus/<device id>/<register name>";
        }
        try {
            Device d = devices.get(t[0]);
            if (d == null) {
                return "no modbus device '" + t[0] + "'";
            }
            Register r = d.register(t[1]).orElse(null);
            if (r == null || !r.writable()) {
                return r == null ? "device " + t[0] + " has no register '" + t[1] + "'"
                        : t[0] + "/" + t[1] + " is not writable (add :rw to its map entry)";
            }
            r.encode(value, d.settings().littleWordOrder());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public void stateChanged(StateChange change) {
        String[] t = target(change.key());
        if (change.isRemoval() || t == null || !devices.containsKey(t[0])) {
            return;
        }
        try {
            write(t[0], t[1], change.entry().value()).whenComplete((v, e) -> {
                if (e != null) {
                    log.warn("modbus {}: write of {} failed: {}", t[0], change.key(), e.getMessage());
                } else {
                    log.info("modbus {}: {} written and read back: {}", t[0], t[1], v);
                }
            });
        } catch (IllegalArgumentException e) {
            log.warn("modbus {}: write of {} refused: {}", t[0], change.key(), e.getMessage());
        }
    }

    // ---- services ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPortProvider(PortProvider provider, Map<String, Object> props) {
        Object scheme = props.get(PortProvider.SCHEME);
        if (scheme != null) {
            providers.put(scheme.toString(), provider);
            buses.values().forEach(Bus::kick);
        }
    }

    void removePortProvider(PortProvider provider, Map<String, Object> props) {
        Object scheme = props.get(PortProvider.SCHEME);
        if (scheme != null) {
            providers.remove(scheme.toString(), provider);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ReadingListener listener, Map<String, Object> props) {
        listeners.add(listener, props);
    }

    void updatedListener(ReadingListener listener, Map<String, Object> props) {
        listeners.update(listener, props);
    }

    void removeListener(ReadingListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setState(StateService s) {
        state = s;
    }

    void unsetState(StateService s) {
        if (state == s) {
            state = null;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (Bus b : buses.values()) {
            b.stop(Bus.STOP_GRACE_MS);
        }
        buses.clear();
        devices.clear();
        listeners.close();
    }
}
