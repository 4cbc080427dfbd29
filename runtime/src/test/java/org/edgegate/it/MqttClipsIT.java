package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Clips announced on MQTT (issue 24) in the assembled runtime against a real Mosquitto: a clip rule gets its Home
 * Assistant entities (an event and a last-clip sensor, retained configs), a clip triggered through the state gives
 * its event message (not retained, with the manifest) and the retained last-clip summary, a clip finished while
 * the broker is away arrives after it is back (journaled), a hostile event is refused without harm, and the
 * entities go with the rule.
 */
@ExamReactorStrategy(PerClass.class)
public class MqttClipsIT extends GatewayTestSupport {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String GW = "gwclips";

    /** Closed in reverse order after the test: the broker, the collector, the configurations. */
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith("org.edgegate.serial.sensor-"); // the demo camera, no simulated boards
    }

    @After
    public void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Configuration configuration(String factoryPid, String name, Map<String, Object> properties)
            throws Exception {
        Configuration c = createFactoryConfiguration(factoryPid, name, properties);
        cleanup.add(() -> {
            try {
                c.delete();
            } catch (IllegalStateException deletedByTheTest) {
                // the rule's, at the end of the test
            }
        });
        return c;
    }

    private static JsonObject json(MqttCollector.Message m) {
        return JsonParser.parseString(m.text()).getAsJsonObject();
    }

    private Path clipDir(JsonObject message) {
        return home().resolve(message.get("path").getAsString());
    }

    /** Sets the key the rule watches: 1 crosses its line, 0 falls back. */
    private static void door(StateService state, int value) {
        state.put("it/door", value);
    }

    @Test
    public void aClipGivesItsEventMessageAndItsRuleAHomeAssistantEntity() throws Exception {
        Path dir = home().resolve("mqtt-clips-it").resolve(UUID.randomUUID().toString().substring(0, 6));
        Files.createDirectories(dir.resolve("db"));
        Mosquitto m = Mosquitto.started(dir, "persistence true", "persistence_location " + dir.resolve("db") + "/");
        cleanup.add(m);
        // durable: the broker keeps the QoS 1 event messages for it while the broker restarts
        MqttCollector c = new MqttCollector(m.uri(), "it-clips", true, "edgegate/" + GW + "/clip/#",
                "homeassistant/+/edgegate_" + GW + "/#");
        cleanup.add(c);
        StateService state = awaitService(StateService.class);
        door(state, 0);
        String rule = "door";
        Map<String, Object> r = new HashMap<>();
        r.put("id", rule);
        r.put("when", "it/door >= 1");
        r.put("cameras", new String[] {"demo"});
        r.put("before", 1);
        r.put("after", 1);
        r.put("cooldown", 0);
        Configuration ruleConfig = configuration("org.edgegate.clips.rule", rule, r);
        Map<String, Object> b = new HashMap<>();
        b.put("id", "clips");
        b.put("uri", m.uri());
        b.put("gateway", GW);
        b.put("cameras", "-");
        configuration("org.edgegate.mqtt.broker", "clips", b);
        Endpoint e = awaitService(Endpoint.class, "(&(component.name=org.edgegate.mqtt.broker)(id=clips))", T);
        await("broker OPEN (now " + e.health() + ")", T, () -> e.health().state() == HealthState.OPEN);

        // The rule's entities: retained discovery configs
        String eventConfig = "homeassistant/event/edgegate_" + GW + "/door_clip/config";
        String lastConfig = "homeassistant/sensor/edgegate_" + GW + "/door_last_clip/config";
        await("the rule's event entity", T, () -> !c.on(eventConfig).isEmpty() && !c.on(lastConfig).isEmpty());
        JsonObject ev = json(c.on(eventConfig).get(0));
        assertEquals("edgegate/" + GW + "/clip/door", ev.get("state_topic").getAsString());
        assertEquals("clip", ev.getAsJsonArray("event_types").get(0).getAsString());
        assertEquals("timestamp", json(c.on(lastConfig).get(0)).get("device_class").getAsString());
        assertEquals("retained", 2, MqttCollector.retained(m.uri(), eventConfig, lastConfig).size());

        // A hostile event on the clips' topic: refused, nothing published, the handler still serves
        EventAdmin events = awaitService(EventAdmin.class);
        events.sendEvent(new Event("org/edgegate/clips/COMPLETE", Map.of("rule", "x".repeat(1 << 20), "clip", "a",
                "state", "complete", "trigger.time", 1L, "frames", 1, "manifest", "{}")));
        events.sendEvent(new Event("org/edgegate/clips/COMPLETE", Map.of("rule", "door", "clip", "../../etc",
                "state", "complete", "trigger.time", 1L, "frames", 1)));

        // A clip: the condition crosses and falls back
        door(state, 1);
        await("the clip started", T, () -> clips(rule, false) == 1);
        door(state, 0);
        String topic = "edgegate/" + GW + "/clip/door";
        await("the clip's event message", T, () -> !c.on(topic).isEmpty());
        MqttCollector.Message msg = c.on(topic).get(0);
        assertFalse("an event is not retained", msg.retained());
        JsonObject o = json(msg);
        assertEquals("clip", o.get("event_type").getAsString());
        assertEquals(GW, o.get("gateway").getAsString());
        assertEquals("complete", o.get("state").getAsString());
        JsonObject manifest = o.getAsJsonObject("manifest");
        assertEquals(o.get("clip").getAsString(), manifest.get("clip").getAsString());
        int frames = manifest.getAsJsonArray("cameras").get(0).getAsJsonObject().get("frames").getAsInt();
        assertTrue("frames of the demo camera: " + frames, frames > 10);
        assertEquals(frames, o.get("frames").getAsInt());
        JsonObject onDisk = JsonParser.parseString(Files.readString(clipDir(o).resolve("manifest.json")))
                .getAsJsonObject();
        assertEquals("the event's manifest is the clip's", onDisk, manifest);
        assertEquals(1, c.matching(x -> x.topic().startsWith("edgegate/" + GW + "/clip/")
                && !x.topic().endsWith("/last")).size()); // the hostile events published nothing
        List<MqttCollector.Message> last = MqttCollector.retained(m.uri(), topic + "/last");
        assertEquals(1, last.size());
        assertEquals(o.get("time").getAsString(), json(last.get(0)).get("time").getAsString());
        assertFalse("the summary leaves the manifest out", json(last.get(0)).has("manifest"));
        JsonObject counters = JsonParser.parseString(gogo("gw:mqtt --json").trim()).getAsJsonArray().get(0)
                .getAsJsonObject();
        assertEquals(1, counters.get("clips").getAsLong());
        assertEquals("the hostile events, counted", 2, counters.get("clipsRefused").getAsLong());

        // A clip finished while the broker is away arrives when it is back, journaled with the readings
        m.stop();
        await("the broker away", T, () -> e.health().state() == HealthState.RECONNECTING);
        door(state, 1);
        await("the second clip started", T, () -> clips(rule, false) == 2);
        door(state, 0);
        await("the second clip complete on disk", T, () -> clips(rule, true) == 2);
        m.start();
        await("the second clip's event after the outage", T, () -> c.on(topic).size() >= 2);
        assertTrue(json(c.on(topic).get(1)).get("ts").getAsLong() > o.get("ts").getAsLong());

        // The rule goes: its entities go (empty retained configs)
        ruleConfig.delete();
        await("the entities removed", T, () -> c.on(eventConfig).stream().anyMatch(x -> x.payload().length == 0)
                && c.on(lastConfig).stream().anyMatch(x -> x.payload().length == 0));
        assertTrue(MqttCollector.retained(m.uri(), eventConfig, lastConfig).isEmpty());
    }

    /** The rule's clips on disk (with {@code complete}: those whose manifest says so). */
    private long clips(String rule, boolean complete) {
        Path folder = home().resolve("data/clips").resolve(rule);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var dirs = Files.list(folder)) {
            return dirs.filter(Files::isDirectory).filter(d -> {
                try {
                    return !complete || JsonParser.parseString(Files.readString(d.resolve("manifest.json")))
                            .getAsJsonObject().get("state").getAsString().equals("complete");
                } catch (java.io.IOException | RuntimeException notYet) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
