package org.edgegate.modbus.internal;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured Modbus device (factory PID {@value DeviceConfig#FACTORY_PID}), a {@link Sensor} like the
 * serial ones. A changed configuration takes the device off its bus and puts the new one on; the port
 * stays open for the other devices of the bus. It registers its {@link Sensor} service itself, so the
 * service carries what the map says of its writable registers: {@value #COMMAND}{@code <name>} (the state
 * key that writes it) and the Home Assistant entity to offer for it ({@code switch} for a coil, {@code number}
 * with its range for a register), which the MQTT bridge's discovery reads.
 */
@Component(configurationPid = DeviceConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = DeviceConfig.class, factory = true)
public class DeviceComponent implements Sensor {
    /** Service property prefix: the state key a command for a channel is put on. */
    static final String COMMAND = "edgegate.sensor.command.";

    private BundleContext context;
    private ServiceRegistration<?> registration;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ModbusHub hub;

    private volatile DeviceSettings settings;
    private volatile Device device;
    private volatile Health configHealth;

    @Activate
    void activate(BundleContext bundleContext, DeviceConfig config, Map<String, Object> props) {
        context = bundleContext;
        apply(config, props);
    }

    @Modified
    void modified(DeviceConfig config, Map<String, Object> props) {
        apply(config, props);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private void stop() {
        Device d = device;
        device = null;
        if (d != null) {
            hub.detach(d);
        }
    }

    private synchronized void apply(DeviceConfig config, Map<String, Object> props) {
        stop();
        DeviceSettings next;
        try {
            next = DeviceSettings.from(config, props);
            settings = next;
            Device d = new Device(next, hub::deliver);
            hub.attach(d);
            device = d;
            configHealth = null;
        } catch (IllegalArgumentException e) {
            String reason = "configuration " + props.get("service.pid") + ": " + e.getMessage();
            configHealth = Health.of(HealthState.FAILED, reason);
            log.error(reason);
        }
        Hashtable<String, Object> service = new Hashtable<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("component.") && v != null) {
                service.put(k, v);
            }
        });
        DeviceSettings s = device != null ? settings : null;
        if (s != null) {
            service.put("id", s.id());
            for (Register r : s.registers()) {
                if (r.writable()) {
                    service.putAll(HomeAssistantHints.of(s.id(), r));
                }
            }
        }
        if (registration == null) {
            registration = context.registerService(new String[] {Sensor.class.getName(), Monitored.class.getName()},
                    this, service);
        } else {
            registration.setProperties(service);
        }
    }

    Optional<Device> device() {
        return Optional.ofNullable(device);
    }

    @Override
    public String id() {
        DeviceSettings s = settings;
        return s != null ? s.id() : "?";
    }

    @Override
    public String port() {
        DeviceSettings s = settings;
        return s != null ? s.port() : "";
    }

    /** The bus's health while it is not open, else the device's own (answering, silent, refusing). */
    @Override
    public Health health() {
        Health h = configHealth;
        Device d = device;
        if (h != null || d == null) {
            return h != null ? h : Health.of(HealthState.STOPPED, "");
        }
        Health bus = hub.bus(d).map(Bus::health).orElse(Health.of(HealthState.STOPPED, ""));
        return bus.state() != HealthState.OPEN ? bus : d.health();
    }

    @Override
    public SensorStatistics statistics() {
        Device d = device;
        return d != null ? d.statistics(hub.bus(d).map(Bus::reconnects).orElse(0L))
                : new SensorStatistics(0, 0, 0, 0, 0, null, null, null, 0);
    }

    @Override
    public Optional<Reading> lastReading() {
        Device d = device;
        return d != null ? d.lastReading() : Optional.empty();
    }

    @Override
    public void send(String text) throws IOException {
        throw new IOException("a Modbus device takes no text: write a register with gw:modbus write " + id()
                + " <name> <value>");
    }
}
