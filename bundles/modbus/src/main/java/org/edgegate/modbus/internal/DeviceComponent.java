package org.edgegate.modbus.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
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
 * stays open for the other devices of the bus.
 */
@Component(configurationPid = DeviceConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {Sensor.class, Monitored.class})
@Designate(ocd = DeviceConfig.class, factory = true)
public class DeviceComponent implements Sensor {

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ModbusHub hub;

    private volatile DeviceSettings settings;
    private volatile Device device;
    private volatile Health configHealth;

    @Activate
    void activate(DeviceConfig config, Map<String, Object> props) {
        apply(config, props);
    }

    @Modified
    void modified(DeviceConfig config, Map<String, Object> props) {
        apply(config, props);
    }

    @Deactivate
    synchronized void deactivate() {
        Device d = device;
        device = null;
        if (d != null) {
            hub.detach(d);
        }
    }

    private synchronized void apply(DeviceConfig config, Map<String, Object> props) {
        deactivate();
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
