package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A manual clip started over MQTT (issue 24) in the assembled runtime against a real Mosquitto: {@code mosquitto_pub}
 * on {@code P/state/clips/record/set} records the demo camera when {@code clips/} is under {@code commands.allow}
 * (the clip on disk, its event on {@code P/clip/manual}, the outcome on the retained state), is refused and counted
 * where it is not, and hostile requests (a huge camera list, 1e9 seconds, no JSON, 100 KiB) are refused and
 * counted while the gateway goes on recording; Home Assistant's "record clip" button where it is allowed.
 */
@ExamReactorStrategy(PerClass.class)
public class MqttClipsRecordIT extends GatewayTestSupport {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String ALLOWED = "gwrec";
    private static final String DENIED = "gwdeny";

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Path pubDir;
    private Mosquitto broker;

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

    private Endpoint mqtt(String gateway, Map<String, Object> extra) throws Exception {
        Map<String, Object> p = new HashMap<>(extra);
        p.put("id", gateway);
        p.put("uri", broker.uri());
        p.put("gateway", gateway);
        p.put("cameras", "-");
        var c = createFactoryConfiguration("org.edgegate.mqtt.broker", gateway, p);
        cleanup.add(c::delete);
        Endpoint e = awaitService(Endpoint.class, "(&(component.name=org.edgegate.mqtt.broker)(id=" + gateway + "))",
                T);
        await("broker " + gateway + " OPEN (now " + e.health() + ")", T, () -> e.health().state() == HealthState.OPEN);
        return e;
    }

    /** {@code mosquitto_pub} of one command to the gateway's {@code clips/record/set}. */
    private void record(String gateway, String payload) {
        Mosquitto.run(pubDir, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1",
                "-t", "edgegate/" + gateway + "/state/clips/record/set", "-m", payload);
    }

    private JsonObject counters(String id) {
        try {
            return MqttGateways.broker(gogo("gw:mqtt --json"), id);
        } catch (Exception e) {
            throw new AssertionError("gw:mqtt --json failed", e);
        }
    }

    @Test
    public void aClipAskedForOverMqttUnderCommandsAllow() throws Exception {
        Path dir = home().resolve("mqtt-record-it").resolve(UUID.randomUUID().toString().substring(0, 6));
        pubDir = dir.resolve("pub");
        Files.createDirectories(pubDir);
        broker = Mosquitto.started(dir);
        cleanup.add(broker);
        MqttCollector c = new MqttCollector(broker.uri(), "it-record", false, "edgegate/+/clip/#",
                "edgegate/+/state/clips/#", "homeassistant/button/#");
        cleanup.add(c);
        Camera demo = awaitService(Camera.class, "(id=demo)", T);
        await("the demo camera running", T, demo::isRunning);
        StateService state = awaitService(StateService.class);
        mqtt(DENIED, Map.of());
        Endpoint allowed = mqtt(ALLOWED, Map.of("commands.allow", "camera/, clips/", "state.prefixes",
                "camera/, clips/"));

        // Not under commands.allow (the default camera/): refused at the bridge, counted, no clip
        record(DENIED, "{\"cameras\":[\"demo\"],\"seconds\":2}");
        await("the command refused", T, () -> counters(DENIED).get("refused").getAsLong() == 1);
        assertTrue(counters(DENIED).get("lastRefused").getAsString(),
                counters(DENIED).get("lastRefused").getAsString().contains("not under commands.allow"));
        assertEquals(0, counters(DENIED).get("commands").getAsLong());
        assertTrue("nothing written", state.get("clips/record").isEmpty());
        assertEquals(0, manualClips(false));

        // Allowed: a clip of the demo camera, on disk, announced on P/clip/manual, the outcome in the state
        record(ALLOWED, "{\"cameras\":[\"demo\"],\"seconds\":2}");
        String event = "edgegate/" + ALLOWED + "/clip/manual";
        await("the clip's event message", T, () -> !c.on(event).isEmpty());
        JsonObject message = JsonParser.parseString(c.on(event).get(0).text()).getAsJsonObject();
        Path clip = home().resolve(message.get("path").getAsString());
        JsonObject manifest = JsonParser.parseString(Files.readString(clip.resolve("manifest.json"))).getAsJsonObject();
        assertEquals("complete", manifest.get("state").getAsString());
        assertEquals("manual", manifest.get("rule").getAsString());
        assertEquals(1, manifest.getAsJsonArray("cameras").size());
        JsonObject camera = manifest.getAsJsonArray("cameras").get(0).getAsJsonObject();
        assertEquals("demo", camera.get("id").getAsString());
        int frames = camera.get("frames").getAsInt();
        assertTrue("frames of the demo camera: " + frames, frames > 0);
        assertTrue(Files.size(clip.resolve("demo.avi")) > 0);
        assertEquals("the event's manifest is the clip's", manifest, message.getAsJsonObject("manifest"));
        String result = "edgegate/" + ALLOWED + "/state/clips/record/result";
        await("the outcome on MQTT", T, () -> !c.on(result).isEmpty());
        String said = JsonParser.parseString(c.on(result).get(0).text()).getAsString();
        assertTrue(said, said.startsWith("recording " + manifest.get("clip").getAsString() + " (demo, 2 s)"));
        assertEquals(1, counters(ALLOWED).get("commands").getAsLong());
        assertEquals(1, manualClips(true));

        // Hostile requests: refused where they enter, counted, the gateway records on
        String huge = IntStream.range(0, 1000).mapToObj(i -> "\"c" + i + "\"").collect(Collectors.joining(",",
                "{\"cameras\":[", "]}"));
        String tooMany = IntStream.range(0, 65).mapToObj(i -> "\"c" + i + "\"").collect(Collectors.joining(",",
                "{\"cameras\":[", "]}"));
        List<String> hostile = List.of(huge, tooMany, "{\"cameras\":[\"demo\"],\"seconds\":1e9}",
                "{\"cameras\":[\"demo\"],\"seconds\":-5}", "demo 30", "{\"cameras\":", "\"nosuch 5\"",
                "{\"cameras\":[\"../../etc\"]}", "{\"cameras\":[\"demo\"],\"run\":\"rm -rf /\"}");
        for (String h : hostile) {
            record(ALLOWED, h);
        }
        c.publish("edgegate/" + ALLOWED + "/state/clips/record/set", "\"" + "demo ".repeat(20_000) + "\"", false);
        long refused = hostile.size() + 1;
        await("the hostile requests refused (now " + counters(ALLOWED) + ")", T,
                () -> counters(ALLOWED).get("refused").getAsLong() == refused);
        assertEquals(1, counters(ALLOWED).get("commands").getAsLong());
        String listing = gogo("gw:clips");
        assertTrue(listing, listing.contains("clips/record: 1 clips asked for"));
        assertTrue(gogo("gw:mqtt"), gogo("gw:mqtt").contains("last refused command"));
        assertEquals(HealthState.OPEN, allowed.health().state());

        // Still serving: the words of gw:clips record, as a JSON string
        record(ALLOWED, "\"demo 1\"");
        await("a second clip", T, () -> c.on(event).size() >= 2);
        await("the second clip complete on disk", T, () -> manualClips(true) == 2);
        assertEquals(2, counters(ALLOWED).get("commands").getAsLong());
        assertEquals("no hostile request made a clip", 2, manualClips(false));

        // Home Assistant's button "record clip": only where commands.allow lets it through; pressed, every camera
        String button = "homeassistant/button/edgegate_" + ALLOWED + "/record_clip/config";
        await("the button's config", T, () -> !c.on(button).isEmpty());
        assertTrue(MqttCollector.retained(broker.uri(),
                "homeassistant/button/edgegate_" + DENIED + "/record_clip/config").isEmpty());
        JsonObject config = JsonParser.parseString(c.on(button).get(0).text()).getAsJsonObject();
        assertEquals("edgegate/" + ALLOWED + "/state/clips/record/set", config.get("command_topic").getAsString());
        c.publish(config.get("command_topic").getAsString(), config.get("payload_press").getAsString(), false);
        await("the button's clip", T, () -> c.on(event).size() >= 3);
        JsonObject pressed = JsonParser.parseString(c.on(event).get(2).text()).getAsJsonObject();
        assertTrue("every camera: " + pressed, pressed.getAsJsonObject("manifest").getAsJsonArray("cameras")
                .asList().stream().anyMatch(x -> x.getAsJsonObject().get("id").getAsString().equals("demo")));
    }

    /** The manual clips on disk (with {@code complete}: those whose manifest says so). */
    private long manualClips(boolean complete) {
        Path folder = home().resolve("data/clips/manual");
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
