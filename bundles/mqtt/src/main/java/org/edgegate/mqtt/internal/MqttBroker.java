package org.edgegate.mqtt.internal;

import org.edgegate.config.GatewayPaths;
import org.edgegate.kernel.EndpointReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateKeys;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.edgegate.config.Secrets;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.mqtt.internal.discovery.Discovery;
import org.edgegate.mqtt.internal.discovery.HomeAssistant;
import org.edgegate.mqtt.internal.journal.Journal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured broker (factory PID {@value #PID}). It listens to readings, state changes and frames through the
 * API's whiteboard services, turns them into messages for its {@link Bridge}, keeps the Home Assistant discovery
 * configs of what exists, and applies commands from MQTT under the allow-list. A wrong configuration leaves it
 * registered as FAILED with the reason, so {@code gw:status} shows what to fix.
 */
@Component(name = MqttBroker.PID, configurationPid = MqttBroker.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = { Endpoint.class, Monitored.class, MqttBroker.class })
@Designate(ocd = BrokerConfig.class, factory = true)
public class MqttBroker implements Endpoint {
    static final String PID = "org.edgegate.mqtt.broker";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StateService state;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetaTypeService metaTypeService;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Discovery discovery = new Discovery();
    private final ClipMessages clips = new ClipMessages(discovery);
    private final Map<String, Long> lastPicture = new ConcurrentHashMap<>();

    private volatile MqttSettings settings;
    private volatile Topics topics;
    private volatile HomeAssistant ha;
    private volatile Bridge bridge;
    private volatile RemoteConfig remote;
    private volatile String lastRefusal = "";
    private volatile long lastRefusalLog;
    private String id = "?";
    private String uri = "";
    private Health failure;

    @Activate
    void activate(BrokerConfig configured, BundleContext context, Map<String, Object> props) {
        BrokerConfig config = Secrets.withLegacy(BrokerConfig.class, configured, props, "password", log::warn);
        id = config.id() == null || config.id().isBlank() ? "?" : config.id().strip();
        id = Ids.quote(id); // a refused id is shown shortened (health, logs, labels)
        uri = config.uri();
        MqttSettings s;
        Journal journal;
        try {
            s = MqttSettings.of(config, GatewayPaths.etc(context::getProperty), GatewayPaths.hostName());
            journal = new Journal(GatewayPaths.data(context::getProperty).resolve("mqtt").resolve(s.id()), s.journalMaxBytes(),
                    s.journalSyncMillis());
        } catch (IllegalArgumentException | IOException e) {
            failure = Health.of(HealthState.FAILED, e.getMessage());
            log.error("mqtt broker {} not started: {}", id, e.getMessage());
            return;
        }
        settings = s;
        topics = new Topics(s.prefix());
        ha = s.homeAssistant() ? new HomeAssistant(s.homeAssistantPrefix(), s.gateway(), topics,
                context.getBundle().getVersion().toString()) : null;
        Bridge b = new Bridge(s, journal, PahoClient.FACTORY, ConnectorLog.of(log::info, log::warn, log::debug),
                this::incoming, this::retained);
        bridge = b;
        discovery.attach((t, body) -> b.offerLatest(t, body, 1, true), ha, s::carriesCamera, s::commandAllowed);
        clips.attach(b, topics, s.gateway(), m -> log.warn("mqtt {}: {}", id, m));
        if (s.remoteConfig()) { // fleet operations: docs/fleet.md
            RemoteConfig r = new RemoteConfig(context, s, log, () -> bridge, () -> configurationAdmin,
                    new ConfigTypes(context, () -> metaTypeService));
            remote = r;
            r.start();
        }
        b.start();
        listen(context, s);
    }

    private void listen(BundleContext context, MqttSettings s) {
        Hashtable<String, Object> props = new Hashtable<>();
        if (!s.sensors().isEmpty()) {
            props.put(ReadingListener.SENSOR_ID, s.sensors().toArray(String[]::new));
        }
        registrations.add(context.registerService(ReadingListener.class, new Readings(), props));
        if (!s.statePrefixes().isEmpty()) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(StateListener.PREFIX, s.statePrefixes().toArray(String[]::new));
            registrations.add(context.registerService(StateListener.class, new StateChanges(), p));
        }
        if (s.carriesCameras()) {
            Hashtable<String, Object> p = new Hashtable<>();
            if (!s.cameras().isEmpty()) {
                p.put(FrameListener.CAMERA_ID, s.cameras().toArray(String[]::new));
            }
            registrations.add(context.registerService(FrameListener.class, new Pictures(), p));
        }
        registrations.addAll(clips.listen(context));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        registrations.clear();
        RemoteConfig r = remote;
        remote = null;
        if (r != null) {
            r.stop();
        }
        Bridge b = bridge;
        bridge = null;
        discovery.detach();
        clips.detach();
        if (b != null) {
            b.stop(5_000);
        }
    }

    // ---- sensors, cameras and clip rules coming and going: their Home Assistant entities follow ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSensor(Sensor sensor, Map<String, Object> properties) {
        discovery.sensorAdded(sensor.id(), properties);
    }

    void unbindSensor(Sensor sensor, Map<String, Object> properties) {
        discovery.sensorRemoved(sensor.id());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCamera(Camera camera) {
        discovery.cameraAdded(camera.id());
    }

    void unbindCamera(Camera camera) {
        discovery.cameraRemoved(camera.id());
    }

    @Reference(service = Monitored.class, target = ClipMessages.RULES, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, updated = "bindClipRule") // a changed id moves the entities
    void bindClipRule(Map<String, Object> properties) {
        clips.rule(properties, true);
    }

    void unbindClipRule(Map<String, Object> properties) {
        clips.rule(properties, false);
    }

    /** Everything retained, published again on each connect: status, discovery configs, carried state. */
    private List<Outbound> retained() {
        List<Outbound> out = new ArrayList<>();
        MqttSettings s = settings;
        out.add(Outbound.latest(topics.status(), "online".getBytes(StandardCharsets.UTF_8), 1, true));
        discovery.configs().forEach((topic, config) -> out.add(Outbound.latest(topic, config, 1, true)));
        out.addAll(clips.retained());
        RemoteConfig r = remote;
        if (r != null) {
            out.addAll(r.retained());
        }
        StateService st = state;
        if (st != null) {
            for (String prefix : s.statePrefixes()) {
                for (StateEntry e : st.snapshot(prefix)) {
                    out.add(Outbound.latest(topics.state(e.key()), Payloads.stateValue(e.value()), s.qos(), true));
                }
            }
        }
        return out;
    }

    // ---- the whiteboard listeners (named classes: logs and gw commands show them by name) ----

    private final class Readings implements ReadingListener {
        @Override
        public void readingReceived(Reading r) {
            Bridge b = bridge;
            MqttSettings s = settings;
            if (b == null || !s.carriesSensor(r.sensorId())) {
                return;
            }
            b.offerHistory(topics.sensor(r.sensorId()), Payloads.reading(s.gateway(), r));
            for (Map.Entry<String, Object> v : r.values().entrySet()) {
                b.offerLatest(topics.channel(r.sensorId(), v.getKey()), Payloads.plain(v.getValue()), s.plainQos(),
                        false);
            }
            discovery.sensorReading(r);
        }
    }

    private final class StateChanges implements StateListener {
        @Override
        public void stateChanged(StateChange c) {
            Bridge b = bridge;
            MqttSettings s = settings;
            if (b == null || !s.carriesState(c.key())) {
                return;
            }
            byte[] payload = c.isRemoval() ? Payloads.EMPTY : Payloads.stateValue(c.entry().value());
            b.offerLatest(topics.state(c.key()), payload, s.qos(), true);
        }
    }

    private final class Pictures implements FrameListener {
        @Override
        public void frameReceived(Frame f) {
            Bridge b = bridge;
            MqttSettings s = settings;
            if (b == null || !s.carriesCamera(f.cameraId()) || f.isPlaceholder()) {
                return;
            }
            long now = System.nanoTime();
            long gap = (long) (1e9 / s.cameraMaxFps());
            Long last = lastPicture.get(f.cameraId());
            if (last != null && now - last < gap) {
                return;
            }
            lastPicture.put(f.cameraId(), now);
            byte[] jpeg = f.jpeg();
            b.offerLatest(topics.image(f.cameraId()), jpeg, 0, false);
            b.offerLatest(topics.camera(f.cameraId()), Payloads.camera(s.gateway(), f, jpeg.length), 0, false);
        }
    }

    // ---- commands from MQTT (on the client's thread) ----

    private void incoming(String topic, byte[] payload) {
        Bridge b = bridge;
        MqttSettings s = settings;
        if (b == null) {
            return;
        }
        if (s.homeAssistant() && topic.equals(s.homeAssistantPrefix() + "/status")) {
            if ("online".equals(new String(payload, StandardCharsets.UTF_8).strip())) {
                b.requestRepublish();
            }
            return;
        }
        RemoteConfig r = remote;
        if (r != null && r.offer(topic, payload)) {
            return;
        }
        String key = topics.commandKey(topic);
        if (key == null) {
            return;
        }
        String problem = StateKeys.problem(key);
        if (problem != null) {
            refuse(b, topic, "invalid key: " + problem);
            return;
        }
        if (!s.commandAllowed(key)) {
            refuse(b, topic, "key " + key + " is not under commands.allow " + s.commandsAllow());
            return;
        }
        Object value;
        try {
            value = Payloads.commandValue(payload);
        } catch (IllegalArgumentException e) {
            refuse(b, topic, e.getMessage());
            return;
        }
        StateService st = state;
        if (st == null) {
            refuse(b, topic, "no state service");
            return;
        }
        try {
            st.put(key, value);
        } catch (IllegalArgumentException e) {
            refuse(b, topic, e.getMessage());
            return;
        }
        b.commands.incrementAndGet();
    }

    private void refuse(Bridge b, String topic, String why) {
        b.refused.incrementAndGet();
        lastRefusal = topic + ": " + why;
        long now = System.nanoTime();
        if (now - lastRefusalLog > 1_000_000_000L) { // at most one line a second: a flood cannot fill the log
            lastRefusalLog = now;
            log.warn("mqtt {}: command refused ({} so far): {}", id, b.refused.get(), lastRefusal);
        }
    }

    // ---- Endpoint / Monitored ----

    @Override
    public String kind() {
        return "mqtt";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String mode() {
        return "mqtt";
    }

    @Override
    public String address() {
        return uri;
    }

    @Override
    public Health health() {
        return EndpointReport.health(bridge, Bridge::health, failure);
    }

    @Override
    public EndpointStatistics statistics() {
        return EndpointReport.statistics(bridge, b -> {
            BridgeStatistics s = b.statistics();
            return new EndpointStatistics(s.sent(), s.dropped(), s.refused() + s.journalCorrupt(), s.lastError());
        }, failure);
    }

    /** The full counters (gw:mqtt), null while not running. */
    BridgeStatistics bridgeStatistics() {
        Bridge b = bridge;
        return b == null ? null : b.statistics();
    }

    MqttSettings settings() {
        return settings;
    }

    /** Remote configuration, null when off. */
    RemoteConfig remote() {
        return remote;
    }

    String lastRefusal() {
        return lastRefusal;
    }

    ClipMessages clips() {
        return clips;
    }
}
