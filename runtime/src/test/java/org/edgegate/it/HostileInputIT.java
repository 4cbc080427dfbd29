package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Issue 18's probes of the state, configuration ids and the CLI socket, against the gateway as shipped:
 * {@code bin/edgegate} with its default JVM options (the heap an operator gets), driven over its real
 * state endpoint, {@code etc/}, {@code bin/edgegate-cli} and {@code /metrics}. Each failed on the
 * gateway before the limits: the fill ended the JVM, the huge id made every status line and the first
 * scrape megabytes long, four idle connections locked the CLI out.
 */
public class HostileInputIT {
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;

    private RuntimeProcess gateway;
    private ZMQ.Context zmq;
    private Mosquitto broker;

    @After
    public void stop() throws Exception {
        if (zmq != null) {
            zmq.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A copy of the runtime whose default endpoints are on free ports (other tests run beside us). */
    private RuntimeProcess gateway(String name) throws Exception {
        gateway = new RuntimeProcess("HostileInputIT-" + name);
        for (String endpoint : List.of("native", "state")) {
            Path cfg = gateway.home().resolve("etc/org.edgegate.zmq.endpoint-" + endpoint + ".cfg");
            Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^address = .*$",
                    "address = tcp://127.0.0.1:" + GatewayTestSupport.freePort()));
        }
        return gateway;
    }

    private String stateAddress() throws Exception {
        Properties cfg = new Properties();
        try (Reader r = Files.newBufferedReader(gateway.home().resolve("etc/org.edgegate.zmq.endpoint-state.cfg"))) {
            cfg.load(r);
        }
        return cfg.getProperty("address");
    }

    @Test
    public void fillingTheStateIsRefusedInTimeAndLosesNoAcknowledgedWrite() throws Exception {
        gateway("fill").start();
        zmq = ZMQ.context(1);
        String address = stateAddress();
        List<Integer> acknowledged = new ArrayList<>();
        int refused = 0;
        try (StateClient state = new StateClient(address)) {
            for (int i = 0; i < 600; i++) {
                JsonObject reply = state.ask("{\"op\":\"put\",\"key\":\"fill/" + i + "\",\"value\":\"" + value(i) + "\"}");
                if (reply.get("ok").getAsBoolean()) {
                    acknowledged.add(i);
                } else {
                    refused++;
                    String error = reply.get("error").getAsString();
                    assertTrue(error, error.contains("maxBytes") || error.contains("maxEntries"));
                    assertTrue("a short error: " + error.length(), error.length() < 400);
                }
            }
            assertFalse("some writes were acknowledged", acknowledged.isEmpty());
            // read back while the snapshot of the full state is written (it once took the heap several times)
            for (int i : acknowledged) {
                assertEquals("fill/" + i, value(i), state.ask(get(i)).get("value").getAsString());
            }
            GatewayTestSupport.await("the snapshot written", TIMEOUT, () -> Files.exists(snapshot())
                    && snapshotSize() > acknowledged.size() * 60_000L);
            assertEquals("fill/0 read after the snapshot", value(0), state.ask(get(0)).get("value").getAsString());
            assertTrue("the gateway still runs:\n" + tail(gateway.consoleText()), gateway.process().isAlive());
            assertTrue("the state said no before the heap did", refused > 0);
        }
        RuntimeProcess.Result status = gateway.cli("gw:status");
        assertEquals(status.output(), 0, status.status());
        assertTrue(status.output(), status.output().contains("Warnings:")
                && status.output().contains("state shared: ") && status.output().contains("% of maxBytes used"));

        // stopped cleanly and started again: every acknowledged write is still there
        gateway.process().destroy();
        assertTrue("stopped on SIGTERM", gateway.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        gateway.start();
        try (StateClient state = new StateClient(address)) {
            for (int i : acknowledged) {
                assertEquals("fill/" + i + " after a restart", value(i), state.ask(get(i)).get("value").getAsString());
            }
        }
    }

    @Test
    public void aCameraWithAFiveMegabyteIdFailsShortlyAndTheGatewayKeepsServing() throws Exception {
        gateway("huge-id");
        String token = UUID.randomUUID().toString();
        Files.writeString(gateway.home().resolve("etc/org.edgegate.metrics.cfg"), ".bearer.token = " + token + "\n");
        String id = "c".repeat(5 * 1024 * 1024);
        Files.writeString(gateway.home().resolve("etc/org.edgegate.camera-huge.cfg"),
                "id = " + id + "\nsource = pattern\n");
        gateway.start();
        String status = GatewayTestSupport.awaitValue("the huge camera listed as FAILED", TIMEOUT, () -> {
            RuntimeProcess.Result r = gateway.cli("gw:status");
            return r.status() == 0 && r.output().contains("FAILED") && r.output().contains("camera") ? r.output() : null;
        });
        assertTrue("gw:status stays short: " + status.length() + " characters", status.length() < 20_000);
        assertTrue(status, status.contains("id") && status.contains("64"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue("no label holds the raw id: " + metrics.body().length() + " characters",
                metrics.body().length() < 200_000 && !metrics.body().contains("c".repeat(100)));
        assertTrue(metrics.body(), metrics.body().contains("kind=\"camera\""));
        assertTrue("the gateway still runs:\n" + gateway.consoleText(), gateway.process().isAlive());
        long log = Files.size(gateway.home().resolve("data/log/edgegate.log"));
        assertTrue("the log holds no megabyte id: " + log + " bytes", log < 1_000_000);
    }

    @Test
    public void idleConnectionsDoNotLockTheCliOut() throws Exception {
        gateway("idle-cli").start();
        Path socket = gateway.home().resolve("data/cli.sock");
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(socket));
                idle.add(c);
            }
            RuntimeProcess.Result status = gateway.cli("gw:status");
            assertEquals(status.output(), 0, status.status());
            assertTrue(status.output(), status.output().contains("Bundles"));
            // and the idle ones are closed by the gateway after its read timeout
            for (SocketChannel c : idle) {
                GatewayTestSupport.await("an idle CLI connection closed by the gateway", TIMEOUT,
                        () -> readsEndOfStream(c));
            }
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        RuntimeProcess.Result unknown = gateway.cli("no:such-command");
        assertEquals(unknown.output(), 1, unknown.status());
        assertFalse("no stack trace: " + unknown.output(), unknown.output().contains("\tat "));
    }

    /**
     * Clip rules whose conditions come from {@code etc/} as a careless or hostile operator writes them: 6 MB
     * long, nested 400 levels by parentheses and by {@code not}, 100 comparisons, operators the language does
     * not have, a text compared by size. Each rule is FAILED with a short reason naming the bound or the
     * position; a sound rule beside them is OPEN; readings still flow, status, metrics and the log stay small.
     */
    @Test
    public void hostileClipConditionsFailTheirRuleShortlyAndTheGatewayKeepsServing() throws Exception {
        gateway("clips");
        String token = UUID.randomUUID().toString();
        Path etc = gateway.home().resolve("etc");
        Files.writeString(etc.resolve("org.edgegate.metrics.cfg"), ".bearer.token = " + token + "\n");
        Map<String, String> refused = new LinkedHashMap<>(); // rule id -> its condition
        refused.put("huge", "sensor/th/T > 1 or ".repeat(320_000) + "sensor/th/T > 2");
        refused.put("deep", "(".repeat(400) + "sensor/th/T > 1" + ")".repeat(400));
        refused.put("nots", "not ".repeat(200) + "sensor/th/T > 1");
        refused.put("many", "a > 1 or ".repeat(99) + "a > 1");
        refused.put("arrow", "sensor/th/T => 30");
        refused.put("tilde", "sensor/th/T ~= 30 and sensor/th/T <> 2");
        refused.put("sized", "sensor/th/T > 'hot'");
        Map<String, String> reasons = Map.of("huge", "longer than 1000 characters", "deep", "nested deeper than 32 levels",
                "nots", "nested deeper than 32 levels", "many", "more than 64 comparisons", "arrow", "at position",
                "tilde", "at position", "sized", "compares numbers");
        refused.forEach((id, when) -> rule(etc, id, when));
        rule(etc, "sound", "sensor/th/T > -1000 and not (sensor/gas/MQ2 > 100000)");
        gateway.start();

        String status = GatewayTestSupport.awaitValue("every rule in gw:status", TIMEOUT, () -> {
            RuntimeProcess.Result r = gateway.cli("gw:status");
            return r.status() == 0 && refused.keySet().stream().allMatch(id -> line(r.output(), id) != null)
                    && line(r.output(), "sound") != null ? r.output() : null;
        });
        assertTrue("gw:status stays short: " + status.length() + " characters", status.length() < 20_000);
        for (String id : refused.keySet()) {
            String line = line(status, id);
            assertTrue(id + ": " + line, line.contains("FAILED") && line.contains(reasons.get(id)));
            assertTrue(id + ": a short reason: " + line.length(), line.length() < 400);
        }
        GatewayTestSupport.await("the sound rule OPEN", TIMEOUT,
                () -> line(gateway.cli("gw:status").output(), "sound").contains("OPEN"));
        long lines = sensorLines(token);
        GatewayTestSupport.await("readings still flowing", TIMEOUT, () -> sensorLines(token) > lines);
        assertTrue("the gateway still runs:\n" + tail(gateway.consoleText()), gateway.process().isAlive());
        long log = Files.size(gateway.home().resolve("data/log/edgegate.log"));
        assertTrue("the log holds no megabyte condition: " + log + " bytes", log < 1_000_000);
    }

    /**
     * Fleet remote configuration (docs/fleet.md) fed by whoever may publish on the broker: 8 MB, 10,000 keys, 300
     * keys, arrays and objects nested 30,000 and 10,000 deep, values of the wrong types, a text past its bound,
     * binary garbage. Each is answered refused with a short reason, counted, nothing changes in {@code etc/}; the
     * readings keep flowing over the broker and a sound request afterwards is applied.
     */
    @Test
    public void hostileRemoteConfigurationIsRefusedAndTheGatewayKeepsServing() throws Exception {
        Path dir = GatewayTestSupport.WORK.resolve("HostileInputIT-broker-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        broker = Mosquitto.started(dir);
        gateway("fleet");
        Path etc = gateway.home().resolve("etc");
        Files.writeString(etc.resolve("org.edgegate.mqtt.broker-fleet.cfg"), String.join("\n", "id = fleet",
                "uri = " + broker.uri(), "gateway = site1", "homeassistant = false", "remote.config = true",
                "remote.config.allow = org.edgegate.serial.sensor~*", ""));
        Path th = etc.resolve("org.edgegate.serial.sensor-th.cfg");
        gateway.start();
        String before = Files.readString(th);
        String prefix = "edgegate/site1/";
        String set = prefix + "config/org.edgegate.serial.sensor~th/set";
        try (MqttCollector mqtt = new MqttCollector(broker.uri(), "hostile-" + System.nanoTime(), false,
                prefix + "config/+/result", prefix + "sensor/th")) {
            GatewayTestSupport.await("readings over the broker", TIMEOUT, () -> !mqtt.on(prefix + "sensor/th").isEmpty());
            Map<String, String> requests = new LinkedHashMap<>(); // payload -> what the refusal says
            requests.put(request("huge", "\"port\":\"" + "x".repeat(8 << 20) + "\""), "at most 65536");
            requests.put(request("keys", keys(10_000)), "at most 65536");
            requests.put(request("keys300", keys(300)), "more than 256 properties");
            requests.put(request("deep-array", "\"port\":" + "[".repeat(30_000) + "]".repeat(30_000)),
                    "a list holds texts, numbers or booleans");
            requests.put("{\"correlation\":\"deep-object\",\"x\":" + "{\"a\":".repeat(10_000) + "1"
                    + "}".repeat(10_000) + ",\"properties\":{}}", "Nesting limit"); // the JSON reader's own bound
            requests.put(request("object-value", "\"baud\":{\"x\":1}"), "a value is a text");
            requests.put(request("typed", "\"baud\":\"fast\""), "does not fit its type");
            requests.put(request("long-text", "\"port\":\"" + "p".repeat(9000) + "\""), "at most 8192");
            requests.put("{\"correlation\":\"props-array\",\"properties\":[1,2]}", "properties must be a JSON object");
            requests.put("{\"correlation\":\"replace\",\"properties\":{},\"replace\":\"yes\"}",
                    "replace must be true or false");
            requests.put("\u0000\u00ff{{{[[[\"", "JSON");
            int answered = 0;
            for (Map.Entry<String, String> r : requests.entrySet()) {
                int seen = answered;
                mqtt.publish(set, r.getKey(), false);
                JsonObject result = GatewayTestSupport.awaitValue("an answer saying " + r.getValue(), TIMEOUT, () -> {
                    List<MqttCollector.Message> results = mqtt.on(prefix + "config/org.edgegate.serial.sensor~th/result");
                    return results.size() > seen ? JsonParser.parseString(results.get(seen).text()).getAsJsonObject() : null;
                });
                answered++;
                String error = result.get("error").getAsString();
                assertFalse(result.toString(), result.get("ok").getAsBoolean());
                assertTrue(r.getValue() + " in: " + error, error.contains(r.getValue()));
                assertTrue("a short reason: " + error.length(), error.length() < 400);
            }
            assertEquals("etc/ as it was", before, Files.readString(th));
            JsonObject counters = MqttGateways.counters(gateway, "fleet");
            assertEquals(counters.toString(), requests.size(), counters.get("remoteConfigRefused").getAsLong());
            assertEquals(counters.toString(), 0, counters.get("remoteConfigChanges").getAsLong());

            // still serving: readings flow, the sensor is OPEN, a sound request is applied
            int readings = mqtt.on(prefix + "sensor/th").size();
            GatewayTestSupport.await("readings still flowing", TIMEOUT, () -> mqtt.on(prefix + "sensor/th").size() > readings);
            mqtt.publish(set, request("sound", "\"port\":\"sim:th?rate=2\""), false);
            GatewayTestSupport.await("the sound request applied to etc/", TIMEOUT, () -> read(th).contains("rate=2"));
            GatewayTestSupport.await("th OPEN", TIMEOUT, () -> line(gateway.cli("gw:status").output(), " th ") != null
                    && line(gateway.cli("gw:status").output(), " th ").contains("OPEN"));
        }
        assertTrue("the gateway still runs:\n" + tail(gateway.consoleText()), gateway.process().isAlive());
        long log = Files.size(gateway.home().resolve("data/log/edgegate.log"));
        assertTrue("the log holds no megabyte request: " + log + " bytes", log < 1_000_000);
    }

    private static String request(String correlation, String properties) {
        return "{\"correlation\":\"" + correlation + "\",\"properties\":{" + properties + "}}";
    }

    private static String keys(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return b.toString();
    }

    private static void rule(Path etc, String id, String when) {
        try {
            Files.writeString(etc.resolve("org.edgegate.clips.rule-" + id + ".cfg"),
                    "id = " + id + "\nwhen = " + when + "\ncameras = demo\nbefore = 2\nafter = 2\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first line of {@code text} naming the rule or sensor {@code id}, null when none. */
    private static String line(String text, String id) {
        String word = id.startsWith(" ") ? id : " " + id + " ";
        return text.lines().map(l -> " " + l + " ").filter(l -> l.contains(word) || l.contains(" " + id + ":"))
                .findFirst().map(String::strip).orElse(null);
    }

    /** {@code edgegate_sensor_lines_total} of th, from /metrics. */
    private long sensorLines(String token) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().lines().filter(l -> l.startsWith("edgegate_sensor_lines_total{") && l.contains("\"th\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (java.io.IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Path snapshot() {
        return gateway.home().resolve("data/state/state.snapshot");
    }

    private long snapshotSize() {
        try {
            return Files.size(snapshot());
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static boolean readsEndOfStream(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(64)) < 0;
        } catch (java.io.IOException closed) {
            return true;
        }
    }

    /**
     * The state endpoint as docs/zmq.md tells a JeroMQ client to use it: a JeroMQ connection is now and then
     * forgotten before its greeting (about 1 in 100; CI saw a get after the restart wait 20 s for nothing),
     * so a request not answered in time is sent again on a fresh socket (a REQ socket cannot send twice).
     * Every request here may be repeated (gets, and puts of the same value). When no try is answered the
     * failure carries gw:status and the gateway's threads.
     */
    private final class StateClient implements AutoCloseable {
        private static final int TRIES = 3;
        private static final int REPLY_MILLIS = 10_000;
        private final String address;
        private ZMQ.Socket req;

        StateClient(String address) {
            this.address = address;
            this.req = open();
        }

        private ZMQ.Socket open() {
            ZMQ.Socket s = zmq.socket(SocketType.REQ);
            s.setReceiveTimeOut(REPLY_MILLIS);
            s.setHandshakeIvl(2_000); // a forgotten connection is dropped and made again (docs/zmq.md)
            s.setLinger(0);
            s.connect(address);
            return s;
        }

        JsonObject ask(String request) {
            for (int tries = 1; tries <= TRIES; tries++) {
                assertTrue(req.send(request));
                String reply = req.recvStr();
                if (reply != null) {
                    if (tries > 1) {
                        System.out.println("HostileInputIT: answered on try " + tries + " of " + shortly(request));
                    }
                    return JsonParser.parseString(reply).getAsJsonObject();
                }
                req.close();
                req = open();
            }
            throw new AssertionError("no reply from the state endpoint to " + TRIES + " tries of " + shortly(request)
                    + " (gateway alive: " + gateway.process().isAlive() + ")\n" + tail(gateway.consoleText())
                    + "\n" + gateway.cli("gw:status").output() + "\n" + threads());
        }

        @Override
        public void close() {
            req.close();
        }
    }

    private static String shortly(String request) {
        return request.length() > 60 ? request.substring(0, 60) + "..." : request;
    }

    /** The gateway's thread dump (jcmd of the JDK the test runs on), for a failure message. */
    private String threads() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Command.run(Duration.ofSeconds(30), null,
                List.of(jcmd.toString(), Long.toString(gateway.process().pid()), "Thread.print")).output();
    }

    private static String get(int i) {
        return "{\"op\":\"get\",\"key\":\"fill/" + i + "\"}";
    }

    /** 60,000 characters, different for every key. */
    private static String value(int i) {
        return String.format("%05d", i) + "x".repeat(60_000 - 5);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
