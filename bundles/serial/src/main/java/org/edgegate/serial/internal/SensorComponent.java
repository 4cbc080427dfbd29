package org.edgegate.serial.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.LineParserFactory;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateService;
import org.edgegate.kernel.ConnectorLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured sensor (factory PID {@code org.edgegate.serial.sensor}). Port providers and parsers
 * are found by scheme and name among the registered services, so one arriving later (a bundle dropped
 * into deploy/) is picked up and one leaving is noticed; the state service and reading listeners may
 * come and go without the port being closed. A changed parser, mapping or watchdog is applied to the
 * running reader; a changed port or framing reopens the port.
 */
@Component(configurationPid = SensorSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {Sensor.class, Monitored.class})
@Designate(ocd = SensorConfig.class, factory = true)
public class SensorComponent implements Sensor {

    /** Ids in use by sensors of this bundle, so two configurations cannot write the same keys. */
    private static final ConcurrentMap<String, SensorComponent> IDS = new ConcurrentHashMap<>();

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final ServiceIndex<PortProvider> providers = new ServiceIndex<>(PortProvider.SCHEME);
    private final ServiceIndex<LineParserFactory> parsers = new ServiceIndex<>(LineParserFactory.NAME);
    @Reference
    private ReadingDispatcher dispatcher;
    private volatile StateService state;

    private volatile SensorSettings settings;
    private volatile SensorEngine engine;
    private volatile Health configHealth;
    private volatile long lastOutputWarning;

    @Activate
    void activate(SensorConfig config, Map<String, Object> props) {
        apply(config, props);
    }

    @Modified
    void modified(SensorConfig config, Map<String, Object> props) {
        apply(config, props);
    }

    @Deactivate
    void deactivate() {
        stopEngine();
    }

    private synchronized void apply(SensorConfig config, Map<String, Object> props) {
        SensorSettings next;
        try {
            next = SensorSettings.from(config, props);
        } catch (IllegalArgumentException e) {
            fail("configuration " + props.get("service.pid") + ": " + e.getMessage());
            return;
        }
        SensorEngine running = engine;
        if (running != null && !running.settings().needsReopen(next)) {
            boolean newPipeline = settings.pipelineDiffers(next);
            settings = next;
            running.silenceTimeout(next.silenceTimeoutMs());
            if (newPipeline) {
                running.pipeline(pipeline(next));
            }
            log.info("sensor {}: configuration applied to the open port", next.id());
            return;
        }
        stopEngine();
        SensorComponent owner = IDS.putIfAbsent(next.id(), this);
        if (owner != null && owner != this) {
            fail("sensor id '" + next.id() + "' is already used by " + owner.settings.port()
                    + "; give this configuration another id");
            return;
        }
        settings = next;
        configHealth = null;
        SensorEngine e = new SensorEngine(next, pipeline(next), providers::get, this::deliver, engineLog());
        engine = e;
        e.start();
    }

    private void fail(String reason) {
        stopEngine();
        configHealth = Health.of(HealthState.FAILED, reason);
        log.error(reason);
    }

    private synchronized void stopEngine() {
        SensorEngine e = engine;
        engine = null;
        if (e != null) {
            e.stop();
            IDS.remove(e.settings().id(), this);
        }
    }

    /** The parser and mapping for these settings, or why there is none yet. */
    private SensorEngine.Pipeline pipeline(SensorSettings s) {
        LineParserFactory factory = parsers.get(s.parser());
        if (factory == null) {
            String problem = "parser " + s.parser() + " not available (installed: "
                    + String.join(", ", parsers.sorted().keySet()) + ")";
            log.info("sensor {}: {}; waiting for it", s.id(), problem);
            return SensorEngine.Pipeline.awaiting(problem);
        }
        try {
            return SensorEngine.Pipeline.of(factory.create(s.parserOptions()), ChannelMapping.parse(s.channels()));
        } catch (RuntimeException e) {
            String problem = "parser '" + s.parser() + "': " + e.getMessage();
            log.error("sensor {}: {}", s.id(), problem);
            return SensorEngine.Pipeline.broken(problem);
        }
    }

    private void deliver(Reading r) {
        StateService s = state;
        if (s != null) {
            for (Map.Entry<String, Object> e : r.values().entrySet()) {
                try {
                    s.put("sensor/" + r.sensorId() + "/" + e.getKey(), e.getValue());
                } catch (RuntimeException ex) {
                    warnOutput("cannot write sensor/" + r.sensorId() + "/" + e.getKey() + ": " + ex);
                }
            }
        }
        dispatcher.publish(r);
    }

    /** At most one warning every 10 s: a broken state must not flood the log at line rate. */
    private void warnOutput(String message) {
        long now = System.currentTimeMillis();
        if (now - lastOutputWarning > 10_000) {
            lastOutputWarning = now;
            log.warn("sensor {}: {} (further such warnings for 10 s suppressed)", settings.id(), message);
        }
    }

    private ConnectorLog engineLog() {
        Logger l = log;
        return ConnectorLog.of(l::info, l::warn, l::debug);
    }

    // --- services this sensor uses ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPortProvider(PortProvider provider, Map<String, Object> props) {
        if (providers.add(provider, props) != null) {
            SensorEngine e = engine;
            if (e != null) {
                e.kick();
            }
        }
    }

    void removePortProvider(PortProvider provider, Map<String, Object> props) {
        providers.remove(provider, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addParser(LineParserFactory factory, Map<String, Object> props) {
        String name = parsers.add(factory, props);
        if (name != null) {
            parsersChanged(name);
        }
    }

    void removeParser(LineParserFactory factory, Map<String, Object> props) {
        String name = parsers.remove(factory, props);
        if (name != null) {
            parsersChanged(name);
        }
    }

    private synchronized void parsersChanged(String name) {
        SensorEngine e = engine;
        SensorSettings s = settings;
        if (e != null && s != null && s.parser().equals(name)) {
            e.pipeline(pipeline(s));
        }
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

    // --- Sensor ---

    @Override
    public String id() {
        SensorSettings s = settings;
        return s != null ? s.id() : "?";
    }

    @Override
    public String port() {
        SensorSettings s = settings;
        return s != null ? s.port() : "";
    }

    @Override
    public Health health() {
        Health h = configHealth;
        SensorEngine e = engine;
        return h != null ? h : e != null ? e.health() : Health.of(HealthState.STOPPED, "");
    }

    @Override
    public SensorStatistics statistics() {
        SensorEngine e = engine;
        return e != null ? e.statistics() : new SensorStatistics(0, 0, 0, 0, 0, null, null, null, 0);
    }

    @Override
    public Optional<Reading> lastReading() {
        SensorEngine e = engine;
        return e != null ? e.lastReading() : Optional.empty();
    }

    @Override
    public void send(String text) throws IOException {
        SensorEngine e = engine;
        if (e == null) {
            throw new IOException("sensor is not running: " + health().reason());
        }
        e.send(text);
    }

    /** Whether the reader thread is running (for tests and gw:sensors). */
    boolean readerAlive() {
        SensorEngine e = engine;
        return e != null && e.readerAlive();
    }
}
