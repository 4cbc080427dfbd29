package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.transport.Endpoint;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Promises of docs/mqtt.md no other test keeps: client certificates against a Mosquitto that requires one
 * ({@code cert.file}, {@code key.file}); {@code replay.rate} paces a journal's replay (against a control with the
 * default rate replaying the same outage in the same window); QoS 0 readings are never journaled. The Last Will
 * on {@code kill -9} is in {@link PromisesProcessIT}.
 */
@ExamReactorStrategy(PerClass.class)
public class PromisesMqttIT extends GatewayTestSupport {
    private static final String BROKER = "org.edgegate.mqtt.broker";
    private static final String SENSOR = "org.edgegate.serial.sensor";
    private static final Duration T = Duration.ofSeconds(60);

    /** Closed last first: configurations go before the brokers they point at. */
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @After
    public void tearDown() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    private Configuration remembered(Configuration c) {
        cleanup.push(() -> {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        });
        return c;
    }

    private Path dir(String name) {
        return home().resolve("promises-mqtt").resolve(name + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    private Configuration sensor(String id, int rate) throws Exception {
        return remembered(createFactoryConfiguration(SENSOR, id, Map.of("id", id, "port", "sim:th?rate=" + rate,
                "parser", "dash", "channels", "T:temperature:°C, H:humidity:%")));
    }

    /** A broker configuration carrying only {@code sensor}, no pictures, no discovery, gateway name = id. */
    private Configuration mqtt(String id, String sensor, Map<String, Object> properties) throws Exception {
        return remembered(createFactoryConfiguration(BROKER, id, brokerProperties(id, sensor, properties)));
    }

    private static Map<String, Object> brokerProperties(String id, String sensor, Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("id", id);
        p.put("gateway", id);
        p.put("sensors", sensor);
        p.put("cameras", "-");
        p.put("homeassistant", "false");
        p.put("reconnect.maxSeconds", "1");
        return p;
    }

    /** Points every broker configuration of the map at {@code uri}, keeping its own settings. */
    private void pointAll(Map<String, Configuration> brokers, Map<String, Map<String, Object>> settings, String uri)
            throws Exception {
        for (String id : settings.keySet()) {
            Map<String, Object> p = new HashMap<>(settings.get(id));
            p.put("uri", uri);
            updateConfiguration(brokers.get(id), brokerProperties(id, "rp", p));
        }
    }

    private Endpoint endpoint(String id) {
        return awaitService(Endpoint.class, "(&(component.name=" + BROKER + ")(id=" + id + "))", T);
    }

    private Health health(String id) {
        return endpoint(id).health();
    }

    /** The entry of one broker in gw:mqtt --json. */
    private JsonObject counters(String id) {
        String json;
        try {
            json = gogo("gw:mqtt --json").trim();
        } catch (Exception e) {
            throw new AssertionError("gw:mqtt --json failed", e);
        }
        return JsonParser.parseString(json).getAsJsonArray().asList().stream().map(JsonElement::getAsJsonObject)
                .filter(o -> o.get("id").getAsString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("gw:mqtt --json has no broker " + id + ": " + json));
    }

    private static long count(JsonObject counters, String name) {
        return counters.get(name).getAsLong();
    }

    /** A counter of a broker, -1 while it is not listed (its configuration being applied). */
    private long count(String id, String name) {
        try {
            return count(counters(id), name);
        } catch (AssertionError reconfiguring) {
            return -1;
        }
    }

    /** docs/mqtt.md: cert.file, key.file (client certificate and its PKCS#8 key), ca.file. */
    @Test
    public void aClientCertificateIsPresentedToABrokerThatRequiresOne() throws Exception {
        Path dir = dir("cert");
        TestCertificates certificates = TestCertificates.authority(dir.resolve("tls"));
        TestCertificates.Pair server = certificates.server("broker");
        TestCertificates.Pair gateway = certificates.client("gateway", "gateway");
        TestCertificates.Pair reader = certificates.client("reader", "reader");
        Mosquitto broker = Mosquitto.started(dir.resolve("broker"), "cafile " + certificates.ca,
                "certfile " + server.cert(), "keyfile " + server.key(), "require_certificate true");
        cleanup.push(broker);
        sensor("cs", 10);
        mqtt("withcert", "cs", Map.of("uri", "ssl://127.0.0.1:" + broker.port(), "ca.file", certificates.ca.toString(),
                "cert.file", gateway.cert().toString(), "key.file", gateway.key().toString()));
        mqtt("nocert", "cs", Map.of("uri", "ssl://127.0.0.1:" + broker.port(), "ca.file", certificates.ca.toString()));

        await("withcert OPEN (now " + health("withcert") + ")", T,
                () -> health("withcert").state() == HealthState.OPEN);
        // a reading through the broker, read by mosquitto_sub presenting its own certificate
        String got = Mosquitto.run(dir, "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "--cafile", certificates.ca.toString(), "--cert", reader.cert().toString(), "--key",
                reader.key().toString(), "-t", "edgegate/withcert/sensor/cs", "-C", "1", "-W", "30");
        assertTrue(got, got.contains("\"gateway\":\"withcert\"") && got.contains("\"sensor\":\"cs\""));

        // the same broker, the same CA, no client certificate: refused, so the certificate is what let it in
        await("nocert RECONNECTING (now " + health("nocert") + ")", T,
                () -> health("nocert").state() == HealthState.RECONNECTING);
        JsonObject refused = counters("nocert");
        assertEquals(refused.toString(), 0, count(refused, "sent"));
        assertNotEquals(refused.toString(), "OPEN", refused.get("state").getAsString());
        assertTrue("withcert keeps sending: " + counters("withcert"), count(counters("withcert"), "sent") > 0);
        System.out.println("PromisesMqttIT: without a client certificate: " + health("nocert"));
    }

    /**
     * docs/mqtt.md: journaled messages are replayed "at most replay.rate per second"; QoS 0 is "never journaled".
     * Three broker connections carry one sensor: {@code slow} (replay.rate 25), {@code fast} (the default 2,000,
     * the control) and {@code q0} (qos 0). Their broker goes away (each is pointed at a closed port), the sensor
     * stops once both QoS 1 journals hold enough, the broker comes back.
     */
    @Test
    public void replayIsPacedByReplayRateAndQos0IsNeverJournaled() throws Exception {
        int rate = 25;
        Mosquitto broker = Mosquitto.started(dir("replay"));
        cleanup.push(broker);
        MqttCollector collector = new MqttCollector(broker.uri(), "promises-" + UUID.randomUUID().toString()
                .substring(0, 8), false, "edgegate/+/sensor/rp");
        cleanup.push(collector);
        Configuration sensor = sensor("rp", 50);
        Map<String, Configuration> brokers = new HashMap<>();
        Map<String, Map<String, Object>> settings = Map.of("slow", Map.of("replay.rate", Integer.toString(rate)),
                "fast", Map.of(), "q0", Map.of("qos", "0"));
        settings.forEach((id, extra) -> {
            Map<String, Object> p = new HashMap<>(extra);
            p.put("uri", broker.uri());
            try {
                brokers.put(id, mqtt(id, "rp", p));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        for (String id : settings.keySet()) {
            await(id + " delivering readings", T, () -> collector.on("edgegate/" + id + "/sensor/rp").size() >= 5);
        }

        // the broker away: pointed at a port nobody listens on (the collector stays connected)
        String away = "tcp://127.0.0.1:" + freePort();
        pointAll(brokers, settings, away);
        try {
            await("both QoS 1 journals hold 150 readings, q0 dropping", T, () -> count("slow", "pending") >= 150
                    && count("fast", "pending") >= 150 && count("q0", "dropped") >= 50);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + gogo("gw:mqtt --json") + "\n" + gogo("gw:sensors"), e);
        }
        sensor.delete(); // no newer readings: the backlog is fixed
        await("the sensor gone", T, () -> !sensorRegistered("rp"));
        JsonObject q0 = counters("q0");
        assertEquals("QoS 0 is never journaled: " + q0, 0, count(q0, "journaled"));
        assertEquals(q0.toString(), 0, count(q0, "pending"));
        assertEquals(q0.toString(), 0, count(q0, "journalBytes"));
        long slowPending = count(counters("slow"), "pending");
        long fastPending = count(counters("fast"), "pending");
        long q0Before = collector.on("edgegate/q0/sensor/rp").size();

        // the broker back
        long back = System.nanoTime();
        pointAll(brokers, settings, broker.uri());
        await("both journals replayed", T, () -> count("slow", "pending") == 0 && count("fast", "pending") == 0
                && count("slow", "replayed") >= slowPending && count("fast", "replayed") >= fastPending);
        await("q0 connected again", T, () -> health("q0").state() == HealthState.OPEN);

        double slow = replaySeconds(collector, "slow", back, slowPending);
        double fast = replaySeconds(collector, "fast", back, fastPending);
        // a bucket of rate/10 + 1 may go at once, the rest at most `rate` a second: a lower bound on the span
        // (load only stretches it), with a fifth off for the collector's own scheduling
        double least = 0.8 * (slowPending - rate / 10.0 - 2) / rate;
        System.out.printf("PromisesMqttIT: replay of %d at replay.rate %d took %.2f s (at least %.2f); %d at the "
                + "default rate %.2f s%n", slowPending, rate, slow, least, fastPending, fast);
        assertTrue("replay.rate " + rate + ": " + slowPending + " messages in " + slow + " s", slow >= least);
        assertTrue("the control at the default rate replays faster: " + fast + " s against " + slow + " s", fast < slow);
        // nothing of q0's outage arrives later: what was not sent was dropped, not kept
        assertEquals("q0 readings after the outage", q0Before, collector.on("edgegate/q0/sensor/rp").size());
    }

    private boolean sensorRegistered(String id) {
        try {
            return !context.getServiceReferences(org.edgegate.api.sensor.Sensor.class, "(id=" + id + ")").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Seconds between the first and the last replayed reading at the collector (each of the backlog counted). */
    private static double replaySeconds(MqttCollector collector, String id, long since, long expected) {
        List<MqttCollector.Message> replayed = collector.on("edgegate/" + id + "/sensor/rp").stream()
                .filter(m -> m.nanos() - since > 0).toList();
        assertTrue(id + ": " + replayed.size() + " replayed readings arrived of " + expected,
                replayed.size() >= expected);
        return (replayed.get(replayed.size() - 1).nanos() - replayed.get(0).nanos()) / 1e9;
    }
}
