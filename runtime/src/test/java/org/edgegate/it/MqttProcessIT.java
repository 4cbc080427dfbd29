package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Two gateway runtimes ({@code bin/edgegate}) with different {@code gateway} names publishing to one Mosquitto:
 * a collector on {@code edgegate/+/sensor/#} gets both. Then the broker stops, one gateway is killed with
 * {@code kill -9} while it journals, the broker comes back, the gateway is started again: its journal replays
 * every reading of the outage, with no hole.
 */
public class MqttProcessIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private RuntimeProcess gateway(String name, Mosquitto broker) throws Exception {
        RuntimeProcess g = new RuntimeProcess("MqttProcessIT-" + name);
        cleanup.add(g);
        MqttGateways.fastBoard(g);
        Path etc = g.home().resolve("etc");
        Files.writeString(etc.resolve("org.edgegate.mqtt.broker-fleet.cfg"), String.join("\n",
                "id = fleet", "uri = " + broker.uri(), "gateway = " + name, "sensors = fast", "cameras = -",
                "homeassistant = false", "reconnect.maxSeconds = 2", ""));
        return g;
    }

    private static JsonObject counters(RuntimeProcess g) {
        return MqttGateways.counters(g, "fleet");
    }

    private static List<JsonObject> readings(MqttCollector c, String gateway) {
        List<JsonObject> out = new ArrayList<>();
        for (MqttCollector.Message m : c.on("edgegate/" + gateway + "/sensor/fast")) {
            out.add(JsonParser.parseString(m.text()).getAsJsonObject());
        }
        return out;
    }

    @Test
    public void twoGatewaysOneBrokerAndAKillDuringAnOutage() throws Exception {
        Path dir = GatewayTestSupport.WORK.resolve("MqttProcessIT-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        // persistence and a durable collector: what the broker acknowledged survives its own restart, so every
        // hole would be the gateway's
        Files.createDirectories(dir.resolve("broker/db"));
        Mosquitto broker = Mosquitto.started(dir.resolve("broker"), "persistence true",
                "persistence_location " + dir.resolve("broker/db") + "/");
        cleanup.add(broker);
        MqttCollector collector = new MqttCollector(broker.uri(), "collector", true, "edgegate/+/sensor/#");
        cleanup.add(collector);
        RuntimeProcess alpha = gateway("alpha", broker);
        RuntimeProcess beta = gateway("beta", broker);
        alpha.start();
        beta.start();

        // one broker, two gateways told apart by topic and header
        GatewayTestSupport.await("readings of both gateways", RuntimeProcess.TIMEOUT,
                () -> readings(collector, "alpha").size() >= 20 && readings(collector, "beta").size() >= 20);
        assertTrue(readings(collector, "alpha").stream().allMatch(r -> r.get("gateway").getAsString().equals("alpha")));
        assertTrue(readings(collector, "beta").stream().allMatch(r -> r.get("gateway").getAsString().equals("beta")));
        assertTrue(collector.on("edgegate/alpha/sensor/fast/temperature").size() > 0);

        // outage: alpha journals; kill -9 while it does
        broker.stop();
        long lastLive = readings(collector, "alpha").stream().mapToLong(r -> r.get("seq").getAsLong()).max().orElseThrow();
        GatewayTestSupport.await("alpha journaling", RuntimeProcess.TIMEOUT,
                () -> counters(alpha).get("pending").getAsLong() >= 200);
        long pendingBeforeKill = counters(alpha).get("pending").getAsLong();
        alpha.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the journal
        assertTrue(alpha.process().waitFor(30, TimeUnit.SECONDS));
        double killedAt = System.currentTimeMillis();

        broker.start();
        try {
            GatewayTestSupport.await("beta's readings after the outage (collector and beta back)", RuntimeProcess.TIMEOUT,
                    () -> readings(collector, "beta").stream().anyMatch(r -> r.get("ts").getAsDouble() > killedAt + 100));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; collector connected " + collector.isConnected() + ", "
                    + readings(collector, "beta").size() + " beta readings, beta: " + counters(beta) + "\nbroker log:\n"
                    + String.join("\n", broker.log()), e);
        }
        alpha.start();
        GatewayTestSupport.await("alpha's journal replayed", RuntimeProcess.TIMEOUT, () -> {
            JsonObject c = counters(alpha);
            return c.get("pending").getAsLong() == 0 && c.get("replayed").getAsLong() >= pendingBeforeKill;
        });

        // every reading alpha made before it was killed, from its first to its last, arrived: no hole
        TreeSet<Long> before = new TreeSet<>();
        long duplicates = 0;
        for (JsonObject r : readings(collector, "alpha")) {
            if (r.get("ts").getAsDouble() < killedAt && !before.add(r.get("seq").getAsLong())) {
                duplicates++;
            }
        }
        long first = before.first();
        long last = before.last();
        List<Long> missing = new ArrayList<>();
        for (long s = first; s <= last && missing.size() < 20; s++) {
            if (!before.contains(s)) {
                missing.add(s);
            }
        }
        assertEquals("readings " + first + ".." + last + " all arrived (live until " + lastLive + "), missing "
                + missing, last - first + 1, before.size());
        assertTrue("the outage's readings were replayed: last " + last + ", live until " + lastLive + ", "
                + pendingBeforeKill + " journaled", last - lastLive >= pendingBeforeKill / 2);
        System.out.println("MqttProcessIT: " + before.size() + " readings before kill -9, " + (last - lastLive)
                + " of them after the broker stopped, " + pendingBeforeKill + " journaled at the kill, "
                + duplicates + " duplicates (QoS 1)");
    }
}
