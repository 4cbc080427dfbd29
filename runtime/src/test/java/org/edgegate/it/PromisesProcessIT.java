package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * Promises kept by a real {@code bin/edgegate}: the default installation says "All OK" in {@code gw:status}
 * (README, docs/operations.md), and the MQTT Last Will turns {@code P/status} to {@code offline} when the gateway
 * dies (docs/mqtt.md: "as the Last Will when it dies"), here by {@code kill -9}, which runs no code of ours.
 */
public class PromisesProcessIT {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    /** A copy of the shipped runtime (its ports moved to free ones by RuntimeProcess). */
    private RuntimeProcess gateway(String name) throws IOException {
        RuntimeProcess g = new RuntimeProcess("PromisesProcessIT-" + name);
        cleanup.add(g);
        return g;
    }

    @Test
    public void theDefaultInstallationSaysAllOk() throws Exception {
        RuntimeProcess g = gateway("default").start();
        String[] last = { "" };
        try {
            GatewayTestSupport.await("gw:status saying All OK", RuntimeProcess.TIMEOUT, () -> {
                RuntimeProcess.Result r = g.cli("gw:status");
                last[0] = r.output();
                return r.status() == 0 && r.output().contains("All OK");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; gw:status printed:\n" + last[0], e);
        }
        // and it is the shipped installation that is all OK: its demo sensors, camera and endpoints, each OPEN
        for (String line : new String[] { "sensor +th +OPEN", "sensor +gas +OPEN", "camera +demo +OPEN",
                "endpoint +native +OPEN", "endpoint +state +OPEN" }) {
            assertTrue(line + " in:\n" + last[0], last[0].lines().anyMatch(l -> l.matches(line + ".*")));
        }
        assertTrue(last[0], !last[0].contains("Problems:"));
    }

    @Test
    public void theLastWillSaysOfflineWhenTheGatewayIsKilled() throws Exception {
        Path dir = GatewayTestSupport.WORK.resolve("PromisesProcessIT-will-" + UUID.randomUUID().toString()
                .substring(0, 8)).toAbsolutePath();
        Mosquitto broker = Mosquitto.started(dir);
        cleanup.add(broker);
        String status = "edgegate/will/status";
        MqttCollector collector = new MqttCollector(broker.uri(), "promises-will", false, status);
        cleanup.add(collector);
        RuntimeProcess g = gateway("will");
        Files.writeString(g.home().resolve("etc/org.edgegate.mqtt.broker-will.cfg"), String.join("\n", "id = will",
                "uri = " + broker.uri(), "gateway = will", "cameras = -", "homeassistant = false", ""));
        g.start();
        GatewayTestSupport.await("status online", RuntimeProcess.TIMEOUT,
                () -> collector.on(status).stream().anyMatch(m -> m.text().equals("online")));
        int before = collector.on(status).size();

        g.process().destroyForcibly(); // SIGKILL: no shutdown hook, no DISCONNECT
        assertTrue("the gateway died", g.process().waitFor(30, TimeUnit.SECONDS));
        GatewayTestSupport.await("offline after the kill (the Last Will)", RuntimeProcess.TIMEOUT,
                () -> collector.on(status).stream().skip(before).anyMatch(m -> m.text().equals("offline")));
        List<MqttCollector.Message> kept = MqttCollector.retained(broker.uri(), status);
        assertEquals("the broker keeps offline as the retained status: " + kept, 1, kept.size());
        assertEquals("offline", kept.get(0).text());
    }
}
