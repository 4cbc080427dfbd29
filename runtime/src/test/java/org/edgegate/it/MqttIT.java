package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The MQTT bridge against a real Mosquitto on loopback, read by a Paho client and by {@code mosquitto_sub}: both
 * topic forms, retained state, the picture rate cap, Home Assistant discovery, commands under the allow-list, a
 * 10-second outage at 50 readings/s that loses nothing, wrong password / unknown host / TLS against a plain port,
 * and user name, password and TLS that work.
 */
@ExamReactorStrategy(PerClass.class)
public class MqttIT extends GatewayTestSupport {
    private static final String BROKER = "org.edgegate.mqtt.broker";
    private static final String SENSOR = "org.edgegate.serial.sensor";
    private static final Duration T = Duration.ofSeconds(60);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<Configuration> configurations = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Path dir(String name) {
        return home().resolve("mqtt-it").resolve(name + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    private Mosquitto broker(String name, String... extra) throws Exception {
        Mosquitto m = Mosquitto.started(dir(name), extra);
        cleanup.add(m);
        return m;
    }

    private MqttCollector collector(Mosquitto m, boolean durable, String... filters) throws Exception {
        MqttCollector c = new MqttCollector(m.uri(), "it-" + UUID.randomUUID().toString().substring(0, 8), durable,
                filters);
        cleanup.add(c);
        return c;
    }

    private Configuration sensor(String id, String port) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("port", port);
        p.put("parser", "dash");
        p.put("channels", "T:temperature:°C, H:humidity:%");
        Configuration c = createFactoryConfiguration(SENSOR, id, p);
        configurations.add(c);
        return c;
    }

    private Configuration mqtt(String id, Map<String, Object> properties) throws Exception {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("id", id);
        Configuration c = createFactoryConfiguration(BROKER, id, p);
        configurations.add(c);
        return c;
    }

    private Endpoint endpoint(String id) {
        return awaitService(Endpoint.class, "(&(component.name=" + BROKER + ")(id=" + id + "))", T);
    }

    private void awaitOpen(String id) {
        Endpoint e = endpoint(id);
        await("broker " + id + " OPEN (now " + e.health() + ")", T, () -> e.health().state() == HealthState.OPEN);
    }

    /** gw:mqtt --json, the entry of one broker. */
    private JsonObject counters(String id) {
        JsonArray all;
        try {
            all = JsonParser.parseString(gogo("gw:mqtt --json").trim()).getAsJsonArray();
        } catch (Exception e) {
            throw new AssertionError("gw:mqtt --json failed", e);
        }
        for (JsonElement e : all) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("gw:mqtt --json has no broker " + id + ": " + all);
    }

    private static JsonObject json(MqttCollector.Message m) {
        return JsonParser.parseString(m.text()).getAsJsonObject();
    }

    /** mosquitto_sub -v printing "topic payload" lines, in the background. */
    private List<String> mosquittoSub(Mosquitto m, String filter) throws Exception {
        Process p = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(m.port()), "-v",
                "-q", "1", "-t", filter).redirectErrorStream(true).start();
        cleanup.add(() -> {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        });
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // process stopped
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    @Test
    public void readingsStateAndPicturesArrive() throws Exception {
        Mosquitto m = broker("t1");
        MqttCollector all = collector(m, false, "edgegate/t1/#");
        List<String> sub = mosquittoSub(m, "edgegate/t1/sensor/t1s/#");
        sensor("t1s", "sim:th?rate=10");
        mqtt("t1", Map.of("uri", m.uri(), "gateway", "t1", "sensors", "t1s", "cameras", "demo", "camera.maxFps", "2",
                "homeassistant", "false"));
        awaitOpen("t1");

        await("10 JSON readings", T, () -> all.on("edgegate/t1/sensor/t1s").size() >= 10);
        long previous = -1;
        for (MqttCollector.Message r : all.on("edgegate/t1/sensor/t1s")) {
            JsonObject o = json(r);
            assertEquals("t1", o.get("gateway").getAsString());
            assertEquals("t1s", o.get("sensor").getAsString());
            assertTrue(o.getAsJsonObject("values").get("temperature").getAsJsonPrimitive().isNumber());
            assertEquals("°C", o.getAsJsonObject("units").get("temperature").getAsString());
            assertTrue("ts", o.get("ts").getAsDouble() > 1.7e12);
            long seq = o.get("seq").getAsLong();
            assertTrue("in order: " + seq + " after " + previous, seq > previous);
            previous = seq;
        }
        await("plain values", T, () -> all.on("edgegate/t1/sensor/t1s/humidity").size() >= 3);
        Double.parseDouble(all.on("edgegate/t1/sensor/t1s/temperature").get(0).text());
        await("mosquitto_sub saw both forms", T,
                () -> sub.stream().anyMatch(l -> l.startsWith("edgegate/t1/sensor/t1s {"))
                        && sub.stream().anyMatch(l -> l.matches("edgegate/t1/sensor/t1s/temperature -?[0-9.]+")));

        // status and state: retained, removal clears
        StateService state = awaitService(StateService.class);
        state.put("camera/t1probe/level", 7L);
        String stateTopic = "edgegate/t1/state/camera/t1probe/level";
        await("state message", T, () -> !all.on(stateTopic).isEmpty());
        List<MqttCollector.Message> kept = MqttCollector.retained(m.uri(), stateTopic, "edgegate/t1/status");
        assertTrue(kept.toString(), kept.stream().anyMatch(k -> k.topic().equals(stateTopic) && k.text().equals("7")));
        assertTrue(kept.stream().anyMatch(k -> k.topic().endsWith("/status") && k.text().equals("online")));
        state.remove("camera/t1probe/level");
        await("the clearing message", T, () -> all.on(stateTopic).stream().anyMatch(x -> x.payload().length == 0));
        assertTrue(MqttCollector.retained(m.uri(), stateTopic).isEmpty());

        // pictures: JPEG at most camera.maxFps (2/s) although the camera runs at 25 fps
        String image = "edgegate/t1/camera/demo/image";
        await("8 pictures", T, () -> all.on(image).size() >= 8);
        List<MqttCollector.Message> pictures = all.on(image);
        for (MqttCollector.Message p : pictures) {
            assertEquals(0xFF, p.payload()[0] & 0xFF);
            assertEquals(0xD8, p.payload()[1] & 0xFF);
        }
        double span = (pictures.get(pictures.size() - 1).nanos() - pictures.get(0).nanos()) / 1e9;
        double rate = (pictures.size() - 1) / span;
        assertTrue("picture rate " + rate + "/s is capped at 2/s", rate <= 2 * 1.25);
        JsonObject header = json(all.on("edgegate/t1/camera/demo").get(0));
        assertEquals("jpeg", header.get("format").getAsString());
        assertTrue(header.get("width").getAsInt() > 0);

        String text = gogo("gw:mqtt");
        assertTrue(text, text.contains("t1") && text.contains("OPEN"));
        assertTrue(gogo("gw:status").contains("t1"));
    }

    @Test
    public void homeAssistantDiscovery() throws Exception {
        Mosquitto m = broker("t2");
        MqttCollector ha = collector(m, false, "homeassistant/#");
        Configuration sensor = sensor("t2s", "sim:th?rate=5");
        mqtt("t2", Map.of("uri", m.uri(), "gateway", "t2", "sensors", "t2s", "cameras", "demo"));
        awaitOpen("t2");
        String temperature = "homeassistant/sensor/edgegate_t2/t2s_temperature/config";
        String humidity = "homeassistant/sensor/edgegate_t2/t2s_humidity/config";
        String camera = "homeassistant/camera/edgegate_t2/demo/config";
        String toggle = "homeassistant/switch/edgegate_t2/demo_enabled/config";
        await("discovery configs", T, () -> !ha.on(temperature).isEmpty() && !ha.on(humidity).isEmpty()
                && !ha.on(camera).isEmpty() && !ha.on(toggle).isEmpty());

        List<MqttCollector.Message> kept = MqttCollector.retained(m.uri(), "homeassistant/#");
        Map<String, JsonObject> configs = new LinkedHashMap<>();
        for (MqttCollector.Message k : kept) {
            configs.put(k.topic(), json(k));
        }
        assertTrue(configs.keySet().toString(), configs.keySet().containsAll(List.of(temperature, humidity, camera, toggle)));
        JsonObject t = configs.get(temperature);
        assertEquals("edgegate/t2/sensor/t2s/temperature", t.get("state_topic").getAsString());
        assertEquals("°C", t.get("unit_of_measurement").getAsString());
        assertEquals("temperature", t.get("device_class").getAsString());
        assertEquals("measurement", t.get("state_class").getAsString());
        assertTrue(t.get("expire_after").getAsInt() >= 30);
        assertEquals("edgegate/t2/status", t.get("availability_topic").getAsString());
        assertEquals("humidity", configs.get(humidity).get("device_class").getAsString());
        for (JsonObject c : configs.values()) {
            JsonObject device = c.getAsJsonObject("device");
            assertEquals("edgegate_t2", device.getAsJsonArray("identifiers").get(0).getAsString());
            for (String key : new String[] { "name", "manufacturer", "model", "sw_version" }) {
                assertTrue(key + " in " + device, device.has(key));
            }
            assertTrue(c.has("unique_id"));
        }
        assertEquals("edgegate/t2/camera/demo/image", configs.get(camera).get("topic").getAsString());
        assertEquals("edgegate/t2/state/camera/demo/enabled/set", configs.get(toggle).get("command_topic").getAsString());

        // Home Assistant restarts: it says online, the configs come again
        int before = ha.on(temperature).size();
        ha.publish("homeassistant/status", "online", false);
        await("configs published again", T, () -> ha.on(temperature).size() > before);

        // the sensor goes: its entities go (empty retained configs); the camera's stay
        sensor.delete();
        await("sensor configs cleared", T, () -> ha.on(temperature).stream().anyMatch(x -> x.payload().length == 0)
                && ha.on(humidity).stream().anyMatch(x -> x.payload().length == 0));
        List<String> left = MqttCollector.retained(m.uri(), "homeassistant/#").stream().map(MqttCollector.Message::topic)
                .toList();
        assertFalse(left.toString(), left.contains(temperature) || left.contains(humidity));
        assertTrue(left.toString(), left.contains(camera));
    }

    @Test
    public void commandsFromMqttUnderTheAllowList() throws Exception {
        Mosquitto m = broker("t3");
        mqtt("t3", Map.of("uri", m.uri(), "gateway", "t3", "cameras", "demo", "homeassistant", "false"));
        awaitOpen("t3");
        Camera demo = awaitService(Camera.class, "(id=demo)", T);
        StateService state = awaitService(StateService.class);
        await("demo camera running", T, demo::isRunning);
        Path here = dir("t3pub");
        Files.createDirectories(here);
        String port = Integer.toString(m.port());
        try {
            Mosquitto.run(here, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                    "edgegate/t3/state/camera/demo/enabled/set", "-m", "false");
            await("camera stopped from MQTT", T, () -> !demo.isRunning());
            assertEquals(Boolean.FALSE, state.get("camera/demo/enabled").orElseThrow().value());

            Mosquitto.run(here, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                    "edgegate/t3/state/sensor/t3/x/set", "-m", "5");
            Mosquitto.run(here, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                    "edgegate/t3/state/camera/demo/enabled/set", "-m", "maybe");
            // valid JSON, but the camera's validator refuses it at the write
            Mosquitto.run(here, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                    "edgegate/t3/state/camera/demo/enabled/set", "-m", "\"maybe\"");
            await("three refused commands", T, () -> counters("t3").get("refused").getAsLong() == 3);
            assertTrue(gogo("gw:mqtt").contains("maybe refused: use true or false"));
            assertTrue(state.get("sensor/t3/x").isEmpty());
            assertEquals(1, counters("t3").get("commands").getAsLong());
            assertTrue(gogo("gw:mqtt").contains("last refused command"));
        } finally {
            Mosquitto.run(here, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                    "edgegate/t3/state/camera/demo/enabled/set", "-m", "true");
        }
        await("camera started again from MQTT", T, demo::isRunning);
    }

    @Test
    public void anOutageOfTenSecondsAt50ReadingsPerSecondLosesNothing() throws Exception {
        Path dir = dir("t4");
        Mosquitto m = broker("t4", "persistence true", "persistence_location " + dir.resolve("db") + "/");
        Files.createDirectories(dir.resolve("db"));
        // a durable subscriber: the broker keeps its QoS 1 messages while it is away
        MqttCollector c = collector(m, true, "edgegate/t4/sensor/t4s");
        sensor("t4s", "sim:th?rate=50");
        mqtt("t4", Map.of("uri", m.uri(), "gateway", "t4", "sensors", "t4s", "cameras", "-", "homeassistant", "false",
                "state.prefixes", ""));
        awaitOpen("t4");
        await("readings flowing", T, () -> c.on("edgegate/t4/sensor/t4s").size() >= 50);
        Sensor sensor = awaitService(Sensor.class, "(id=t4s)", T);

        m.stop();
        long linesAtStop = sensor.statistics().lines();
        await("10 s of readings journaled", T, () -> counters("t4").get("pending").getAsLong() >= 500);
        assertTrue("the sensor kept reading during the outage",
                sensor.statistics().lines() - linesAtStop >= 450);
        assertEquals(HealthState.RECONNECTING, endpoint("t4").health().state());
        long lastSequence = sensor.lastReading().orElseThrow().sequence();
        m.start();

        await("the journal replayed", T, () -> counters("t4").get("pending").getAsLong() == 0
                && counters("t4").get("replayed").getAsLong() >= 500);
        await("every reading up to " + lastSequence, T, () -> c.on("edgegate/t4/sensor/t4s").stream()
                .anyMatch(x -> json(x).get("seq").getAsLong() >= lastSequence));
        List<Long> seqs = new ArrayList<>();
        for (MqttCollector.Message x : c.on("edgegate/t4/sensor/t4s")) {
            seqs.add(json(x).get("seq").getAsLong());
        }
        Set<Long> seen = new HashSet<>();
        long duplicates = 0;
        long previous = Long.MIN_VALUE;
        for (long s : seqs) {
            if (!seen.add(s)) {
                duplicates++;
                continue;
            }
            assertTrue("in order: " + s + " after " + previous, s > previous);
            previous = s;
        }
        long first = seqs.get(0);
        for (long s = first; s <= lastSequence; s++) {
            assertTrue("reading " + s + " arrived (first " + first + ", last " + lastSequence + ")", seen.contains(s));
        }
        System.out.println("MqttIT outage: " + (lastSequence - first + 1) + " readings, " + duplicates
                + " duplicates (QoS 1), journaled " + counters("t4").get("journaled") + ", replayed "
                + counters("t4").get("replayed"));
        assertTrue("duplicates at most one in-flight window: " + duplicates, duplicates <= 1000);
    }

    @Test
    public void brokerProblemsShowAndBackOffWhileTheRestRuns() throws Exception {
        Path dir = dir("t5");
        Files.createDirectories(dir);
        Mosquitto.run(dir, "mosquitto_passwd", "-c", "-b", dir.resolve("passwords").toString(), "gw", "s3cret");
        Mosquitto secured = broker("t5", "allow_anonymous false", "password_file " + dir.resolve("passwords"));
        Tls tls = Tls.create(dir.resolve("tls"));
        Mosquitto tlsBroker = broker("t5tls", "cafile " + tls.ca, "certfile " + tls.cert, "keyfile " + tls.key);
        sensor("t5s", "sim:th?rate=5");

        Files.writeString(dir.resolve("password.txt"), "s3cret\n");
        mqtt("t5ok", Map.of("uri", secured.uri(), "gateway", "t5ok", "sensors", "t5s", "username", "gw",
                "password.file", dir.resolve("password.txt").toString(), "cameras", "-", "homeassistant", "false"));
        mqtt("t5pw", Map.of("uri", secured.uri(), "gateway", "t5pw", "username", "gw", "password", "wrong",
                "cameras", "-"));
        mqtt("t5host", Map.of("uri", "tcp://no-such-host.invalid:1883", "gateway", "t5host", "cameras", "-"));
        mqtt("t5plain", Map.of("uri", "ssl://127.0.0.1:" + secured.port(), "gateway", "t5plain", "cameras", "-",
                "ca.file", tls.ca.toString()));
        mqtt("t5tls", Map.of("uri", "ssl://127.0.0.1:" + tlsBroker.port(), "gateway", "t5tls", "sensors", "t5s",
                "cameras", "-", "homeassistant", "false", "ca.file", tls.ca.toString()));

        awaitOpen("t5ok");
        awaitOpen("t5tls");
        Pattern retry = Pattern.compile("retry in (\\d+) ms");
        Map<String, String> expected = Map.of("t5pw", "not authorized", "t5host", "unknown host", "t5plain", "TLS");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Endpoint bad = endpoint(e.getKey());
            await(e.getKey() + " says " + e.getValue() + " and backs off to seconds (now " + bad.health() + ")", T, () -> {
                String reason = bad.health().reason();
                Matcher r = retry.matcher(reason);
                return bad.health().state() == HealthState.RECONNECTING && reason.contains(e.getValue()) && r.find()
                        && Integer.parseInt(r.group(1)) >= 3000;
            });
            assertTrue(gogo("gw:status").contains(e.getKey()));
        }
        // the rest undisturbed: the good connections keep sending, the sensor keeps reading
        long sentOk = endpoint("t5ok").statistics().sent();
        long sentTls = endpoint("t5tls").statistics().sent();
        await("good brokers keep sending", T, () -> endpoint("t5ok").statistics().sent() > sentOk + 5
                && endpoint("t5tls").statistics().sent() > sentTls + 5);
        Path here = dir.resolve("sub");
        Files.createDirectories(here);
        String got = Mosquitto.run(here, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(tlsBroker.port()),
                "--cafile", tls.ca.toString(), "-t", "edgegate/t5tls/sensor/t5s", "-C", "1", "-W", "30");
        assertTrue(got, got.contains("\"gateway\":\"t5tls\""));
        got = Mosquitto.run(here, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(secured.port()),
                "-u", "gw", "-P", "s3cret", "-t", "edgegate/t5ok/sensor/t5s", "-C", "1", "-W", "30");
        assertTrue(got, got.contains("\"gateway\":\"t5ok\""));
    }

    /** A CA and a broker certificate for 127.0.0.1, made with openssl. */
    private record Tls(Path ca, Path cert, Path key) {
        static Tls create(Path dir) throws Exception {
            Files.createDirectories(dir);
            Mosquitto.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=EdgeGate test CA");
            Mosquitto.run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key",
                    "-out", "broker.csr", "-subj", "/CN=127.0.0.1");
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            Mosquitto.run(dir, "openssl", "x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "broker.pem");
            return new Tls(dir.resolve("ca.pem"), dir.resolve("broker.pem"), dir.resolve("broker.key"));
        }
    }
}
