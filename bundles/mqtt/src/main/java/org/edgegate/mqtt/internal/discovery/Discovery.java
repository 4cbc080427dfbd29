package org.edgegate.mqtt.internal.discovery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.edgegate.api.sensor.Reading;
import org.edgegate.mqtt.internal.Payloads;

/**
 * The Home Assistant discovery of one broker: which sensors, cameras and clip rules exist, and the retained config
 * of each entity now published (by topic), republished on every connect. They come and go on the DS component's
 * threads (before and after the bridge runs); their entities follow while a bridge is attached.
 */
public final class Discovery {
    /** Where configs go: published retained at QoS 1 (an empty one removes the entity); must not block. */
    public interface Sink {
        void retained(String topic, byte[] config);
    }

    private final Map<String, Map<String, Object>> sensorProperties = new ConcurrentHashMap<>();
    private final Map<String, SensorDiscovery> sensorsSeen = new ConcurrentHashMap<>();
    private final Map<String, Boolean> camerasKnown = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rulesKnown = new ConcurrentHashMap<>();
    /** Retained discovery configs now published, by topic: republished on every connect. */
    private final Map<String, byte[]> configs = new ConcurrentHashMap<>();

    private volatile Sink sink;
    private volatile HomeAssistant ha;
    private volatile ClipEntities clips;
    private volatile Predicate<String> carriesCamera;

    /** What the discovery of one sensor knows: when it was first seen and which channels have a config. */
    private static final class SensorDiscovery {
        final long first = System.nanoTime();
        final long firstSequence;
        /** The config topic of each channel discovered. */
        final Map<String, String> channels = new ConcurrentHashMap<>();

        SensorDiscovery(long firstSequence) {
            this.firstSequence = firstSequence;
        }
    }

    /**
     * From now on entities are published through the bridge ({@code ha} null: Home Assistant is off), cameras
     * only where {@code carriesCamera} says so, the gateway's record-clip button only where {@code commandAllowed}
     * lets its command through.
     */
    public void attach(Sink b, HomeAssistant h, Predicate<String> carriesCamera, Predicate<String> commandAllowed) {
        this.carriesCamera = carriesCamera;
        ha = h;
        ClipEntities c = h == null ? null : new ClipEntities(h);
        clips = c;
        sink = b;
        camerasKnown.keySet().forEach(this::discoverCamera);
        rulesKnown.keySet().forEach(this::discoverRule);
        if (c != null && commandAllowed.test(ClipEntities.RECORD_KEY)) {
            discover(b, c.recordConfigTopic(), c.recordConfig());
        } else if (c != null) {
            undiscover(b, c.recordConfigTopic()); // allowed before this configuration: the button goes
        }
    }

    public void detach() {
        sink = null;
    }

    /** The retained configs now published, by topic. */
    public Map<String, byte[]> configs() {
        return configs;
    }

    public void sensorAdded(String sensorId, Map<String, Object> properties) {
        sensorProperties.put(sensorId, properties);
    }

    public void sensorRemoved(String sensorId) {
        sensorProperties.remove(sensorId);
        SensorDiscovery d = sensorsSeen.remove(sensorId);
        Sink b = sink;
        HomeAssistant h = ha;
        if (d != null && b != null && h != null) {
            for (String topic : d.channels.values()) {
                undiscover(b, topic);
            }
        }
    }

    public void cameraAdded(String cameraId) {
        camerasKnown.put(cameraId, Boolean.TRUE);
        discoverCamera(cameraId);
    }

    public void cameraRemoved(String cameraId) {
        camerasKnown.remove(cameraId);
        Sink b = sink;
        HomeAssistant h = ha;
        if (b != null && h != null) {
            undiscover(b, h.cameraConfigTopic(cameraId));
            undiscover(b, h.switchConfigTopic(cameraId));
        }
    }

    private void discoverCamera(String cameraId) {
        Sink b = sink;
        HomeAssistant h = ha;
        Predicate<String> carries = carriesCamera;
        if (b != null && h != null && carries.test(cameraId)) {
            discover(b, h.cameraConfigTopic(cameraId), h.cameraConfig(cameraId));
            discover(b, h.switchConfigTopic(cameraId), h.switchConfig(cameraId));
        }
    }

    /** A clip rule exists (its id checked): an event entity and a last-clip sensor. */
    public void ruleAdded(String rule) {
        if (rulesKnown.put(rule, Boolean.TRUE) == null) {
            discoverRule(rule);
        }
    }

    public void ruleRemoved(String rule) {
        Sink b = sink;
        ClipEntities c = clips;
        if (rulesKnown.remove(rule) != null && b != null && c != null) {
            c.topics(rule).forEach(topic -> undiscover(b, topic));
        }
    }

    private void discoverRule(String rule) {
        Sink b = sink;
        ClipEntities c = clips;
        if (b != null && c != null) {
            c.configs(rule).forEach((topic, config) -> discover(b, topic, config));
        }
    }

    private void discover(Sink b, String topic, byte[] config) {
        configs.put(topic, config);
        b.retained(topic, config);
    }

    private void undiscover(Sink b, String topic) {
        if (configs.remove(topic) != null) {
            b.retained(topic, Payloads.EMPTY); // an empty retained config removes the entity
        }
    }

    /** Publishes a config per channel from the sensor's second reading on (its interval gives expire_after). */
    public void sensorReading(Reading r) {
        Sink b = sink;
        HomeAssistant h = ha;
        if (b == null || h == null || !sensorProperties.containsKey(r.sensorId())) {
            return; // a late reading of a sensor already removed must not bring its entities back
        }
        SensorDiscovery d = sensorsSeen.computeIfAbsent(r.sensorId(), k -> new SensorDiscovery(r.sequence()));
        if (d.channels.keySet().containsAll(r.values().keySet())) {
            return;
        }
        long readings = r.sequence() - d.firstSequence;
        if (readings < 1) {
            return; // the first reading: wait for the next to know the sensor's rate
        }
        long expire = HomeAssistant.expireAfter((System.nanoTime() - d.first) / 1e9 / readings);
        Map<String, Object> props = sensorProperties.getOrDefault(r.sensorId(), Map.of());
        for (Map.Entry<String, Object> v : r.values().entrySet()) {
            String channel = v.getKey();
            if (d.channels.containsKey(channel)) {
                continue;
            }
            Object command = props.get(HomeAssistant.COMMAND + channel);
            String topic;
            byte[] config;
            if (command != null) { // a writable channel (a Modbus register): a number or a switch
                String component = String.valueOf(props.getOrDefault(HomeAssistant.COMPONENT + channel, "number"));
                topic = h.commandConfigTopic(component, r.sensorId(), channel);
                config = h.commandConfig(component, r.sensorId(), channel, r.units().get(channel),
                        String.valueOf(command), props);
            } else {
                Object cls = props.get(HomeAssistant.DEVICE_CLASS + channel);
                topic = h.sensorConfigTopic(r.sensorId(), channel);
                config = h.sensorConfig(r.sensorId(), channel, r.units().get(channel),
                        cls == null ? null : String.valueOf(cls), v.getValue() instanceof Number, expire);
            }
            d.channels.put(channel, topic);
            discover(b, topic, config);
        }
    }
}
