package org.edgegate.mqtt.internal.discovery;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.edgegate.mqtt.internal.Payloads;
import org.edgegate.mqtt.internal.Topics;

import com.google.gson.stream.JsonWriter;

/**
 * Home Assistant MQTT discovery: the retained config messages ({@code <ha prefix>/<component>/<node>/<object>/config})
 * that make every sensor channel a {@code sensor} entity and every camera a {@code camera} plus a {@code switch}
 * for its enabled flag, all under one device per gateway, available while {@code <prefix>/status} is online.
 */
public final class HomeAssistant {
    /**
     * Sensor service properties of a writable channel: {@code edgegate.sensor.command.<channel>} the state key
     * its commands go to, {@code homeassistant.component.<channel>} {@code number} or {@code switch}, and for a
     * number {@code homeassistant.min|max|step.<channel>}.
     */
    static final String COMMAND = "edgegate.sensor.command.";
    static final String COMPONENT = "homeassistant.component.";
    /** Sensor service property (from the sensor's configuration) naming a channel's Home Assistant device class. */
    static final String DEVICE_CLASS = "homeassistant.device_class.";
    private final String haPrefix;
    private final String gateway;
    private final String node;
    private final Topics topics;
    private final String version;

    public HomeAssistant(String haPrefix, String gateway, Topics topics, String version) {
        this.haPrefix = haPrefix;
        this.gateway = gateway;
        this.node = "edgegate_" + Topics.haId(gateway);
        this.topics = topics;
        this.version = version;
    }

    /** Where Home Assistant says it (re)started: {@code online} asks every device to publish its configs again. */
    String statusTopic() {
        return haPrefix + "/status";
    }

    /** The config topic of one entity: {@code <ha prefix>/<component>/edgegate_<gateway>/<object>/config}. */
    String configTopic(String component, String object) {
        return haPrefix + "/" + component + "/" + node + "/" + Topics.haId(object) + "/config";
    }

    /** {@code name}, {@code unique_id} (the node and {@code unique}) and {@code object_id} (gateway and {@code object}). */
    void names(JsonWriter w, String name, String unique, String object) throws IOException {
        w.name("name").value(name);
        w.name("unique_id").value(node + "_" + Topics.haId(unique));
        w.name("object_id").value(Topics.haId(gateway + "_" + object).toLowerCase(Locale.ROOT));
    }

    Topics topics() {
        return topics;
    }

    String sensorConfigTopic(String sensorId, String channel) {
        return haPrefix + "/sensor/" + node + "/" + Topics.haId(sensorId + "_" + channel) + "/config";
    }

    String cameraConfigTopic(String cameraId) {
        return haPrefix + "/camera/" + node + "/" + Topics.haId(cameraId) + "/config";
    }

    String switchConfigTopic(String cameraId) {
        return haPrefix + "/switch/" + node + "/" + Topics.haId(cameraId + "_enabled") + "/config";
    }

    /**
     * A sensor entity on the plain value topic {@code <prefix>/sensor/<id>/<channel>}.
     *
     * @param deviceClass from the sensor's configuration, or null to guess from the unit and channel name
     * @param numeric whether the channel carries numbers (then {@code state_class: measurement})
     * @param expireAfter seconds without a value after which Home Assistant shows the entity unavailable
     */
    byte[] sensorConfig(String sensorId, String channel, String unit, String deviceClass, boolean numeric,
            long expireAfter) {
        String cls = deviceClass != null && !deviceClass.isBlank() ? deviceClass.strip()
                : numeric ? deviceClass(channel, unit) : null;
        return Payloads.json(w -> {
            w.beginObject();
            w.name("name").value(sensorId + " " + channel);
            w.name("unique_id").value(node + "_" + Topics.haId(sensorId + "_" + channel));
            w.name("object_id").value(Topics.haId(gateway + "_" + sensorId + "_" + channel).toLowerCase(Locale.ROOT));
            w.name("state_topic").value(topics.channel(sensorId, channel));
            if (unit != null && !unit.isBlank()) {
                w.name("unit_of_measurement").value(unit);
            }
            if (cls != null) {
                w.name("device_class").value(cls);
            }
            if (numeric) {
                w.name("state_class").value("measurement");
            }
            w.name("expire_after").value(expireAfter);
            common(w);
            w.endObject();
        });
    }

    String commandConfigTopic(String component, String sensorId, String channel) {
        return haPrefix + "/" + component + "/" + node + "/" + Topics.haId(sensorId + "_" + channel) + "/config";
    }

    /**
     * A {@code number} or {@code switch} on a writable channel: its value on the plain channel topic, commands
     * to {@code <prefix>/state/<key>/set} (so {@code commands.allow} must cover the key).
     */
    byte[] commandConfig(String component, String sensorId, String channel, String unit, String key,
            Map<String, Object> props) {
        return Payloads.json(w -> {
            w.beginObject();
            w.name("name").value(sensorId + " " + channel);
            w.name("unique_id").value(node + "_" + Topics.haId(sensorId + "_" + channel));
            w.name("object_id").value(Topics.haId(gateway + "_" + sensorId + "_" + channel).toLowerCase(Locale.ROOT));
            w.name("state_topic").value(topics.channel(sensorId, channel));
            w.name("command_topic").value(topics.stateSet(key));
            if (component.equals("switch")) {
                w.name("payload_on").value("true");
                w.name("payload_off").value("false");
                w.name("state_on").value("1");
                w.name("state_off").value("0");
            } else {
                for (String limit : new String[] {"min", "max", "step"}) {
                    if (props.get("homeassistant." + limit + "." + channel) instanceof Number n) {
                        w.name(limit).value(n);
                    }
                }
                w.name("mode").value("box");
                if (unit != null && !unit.isBlank()) {
                    w.name("unit_of_measurement").value(unit);
                }
            }
            common(w);
            w.endObject();
        });
    }

    /** A camera entity showing the JPEG of {@code <prefix>/camera/<id>/image}. */
    byte[] cameraConfig(String cameraId) {
        return Payloads.json(w -> {
            w.beginObject();
            w.name("name").value(cameraId);
            w.name("unique_id").value(node + "_camera_" + Topics.haId(cameraId));
            w.name("object_id").value(Topics.haId(gateway + "_" + cameraId).toLowerCase(Locale.ROOT));
            w.name("topic").value(topics.image(cameraId));
            common(w);
            w.endObject();
        });
    }

    /** A switch on the camera's enabled flag: state {@code state/camera/<id>/enabled}, commands to its {@code /set}. */
    byte[] switchConfig(String cameraId) {
        String key = "camera/" + cameraId + "/enabled";
        return Payloads.json(w -> {
            w.beginObject();
            w.name("name").value(cameraId + " enabled");
            w.name("unique_id").value(node + "_camera_" + Topics.haId(cameraId) + "_enabled");
            w.name("object_id").value(Topics.haId(gateway + "_" + cameraId + "_enabled").toLowerCase(Locale.ROOT));
            w.name("state_topic").value(topics.state(key));
            w.name("command_topic").value(topics.stateSet(key));
            w.name("payload_on").value("true");
            w.name("payload_off").value("false");
            w.name("state_on").value("true");
            w.name("state_off").value("false");
            w.name("icon").value("mdi:cctv");
            common(w);
            w.endObject();
        });
    }

    void common(JsonWriter w) throws IOException {
        w.name("availability_topic").value(topics.status());
        w.name("payload_available").value("online");
        w.name("payload_not_available").value("offline");
        w.name("device").beginObject();
        w.name("identifiers").beginArray().value(node).endArray();
        w.name("name").value("EdgeGate " + gateway);
        w.name("manufacturer").value("EdgeGate");
        w.name("model").value("EdgeGate gateway");
        w.name("sw_version").value(version);
        w.endObject();
    }

    /** Home Assistant device classes by unit, refined by the channel's name; null when nothing fits. */
    private static final Map<String, String> BY_UNIT = Map.ofEntries(
            Map.entry("°c", "temperature"), Map.entry("°f", "temperature"), Map.entry("k", "temperature"),
            Map.entry("lx", "illuminance"), Map.entry("hpa", "pressure"), Map.entry("pa", "pressure"),
            Map.entry("kpa", "pressure"), Map.entry("mbar", "pressure"), Map.entry("bar", "pressure"),
            Map.entry("v", "voltage"), Map.entry("mv", "voltage"), Map.entry("a", "current"),
            Map.entry("ma", "current"), Map.entry("w", "power"), Map.entry("kw", "power"),
            Map.entry("wh", "energy"), Map.entry("kwh", "energy"), Map.entry("hz", "frequency"),
            Map.entry("dbm", "signal_strength"), Map.entry("µg/m³", "pm25"));

    static String deviceClass(String channel, String unit) {
        String u = unit == null ? "" : unit.strip().toLowerCase(Locale.ROOT);
        String c = channel.toLowerCase(Locale.ROOT);
        if (u.equals("%")) {
            if (c.startsWith("hum") || c.equals("h") || c.equals("rh")) {
                return "humidity";
            }
            if (c.startsWith("bat")) {
                return "battery";
            }
            if (c.contains("moist")) {
                return "moisture";
            }
            return null;
        }
        if (u.equals("ppm")) {
            return c.equals("co2") ? "carbon_dioxide" : c.equals("co") ? "carbon_monoxide" : null;
        }
        return BY_UNIT.get(u);
    }

    /**
     * Seconds of silence after which Home Assistant marks a channel unavailable: five reading intervals,
     * at least 30 s (a sensor reading once a second expires after 30 s of silence).
     */
    static long expireAfter(double intervalSeconds) {
        if (!(intervalSeconds > 0) || Double.isInfinite(intervalSeconds)) {
            return 300;
        }
        return Math.max(30, (long) Math.ceil(5 * intervalSeconds));
    }
}
