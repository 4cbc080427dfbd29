package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Fleet operations over the broker (issue 25, docs/fleet.md) on a real gateway runtime and a real Mosquitto,
 * driven by {@code bin/edgegate-fleet}: the retained info, a configuration read with its secret masked, changed
 * (written back to etc/), refused three ways (a value its type refuses, one the component refuses, a PID outside
 * the allow-list) leaving the gateway as it was with the reason in the answer, created and deleted; every change
 * counted.
 */
public class FleetIT {
    private static final String TH = "org.edgegate.serial.sensor~th";

    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(6));
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Mosquitto broker;
    private RuntimeProcess gateway;

    @After
    public void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Command.Result fleet(String... args) {
        List<String> line = new ArrayList<>(List.of(gateway.home().resolve("bin/edgegate-fleet").toString(),
                "--broker", broker.uri(), "--timeout", "30"));
        line.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(90), null, Map.of("JAVA_HOME", System.getProperty("java.home")), null,
                line);
    }

    private Path thFile() {
        return gateway.home().resolve("etc/org.edgegate.serial.sensor-th.cfg");
    }

    private String th() {
        return read(thFile());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void aFleetSeenAndConfiguredThroughTheBrokerOnly() throws Exception {
        Path dir = GatewayTestSupport.WORK.resolve("FleetIT-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        broker = Mosquitto.started(dir.resolve("broker"));
        cleanup.add(broker);
        gateway = new RuntimeProcess("FleetIT-site1");
        cleanup.add(gateway);
        Path etc = gateway.home().resolve("etc");
        Files.deleteIfExists(etc.resolve("org.edgegate.camera-demo.cfg"));
        Files.writeString(thFile(), th() + "api.token = s3cret-token\n");
        Files.writeString(etc.resolve("org.edgegate.mqtt.broker-fleet.cfg"), String.join("\n",
                "id = fleet", "uri = " + broker.uri(), "gateway = site1", "homeassistant = false", "remote.config = true",
                "remote.config.allow = org.edgegate.serial.sensor~*", "plain.qos = 0", ""));
        MqttCollector readings = new MqttCollector(broker.uri(), "fleet-it-readings", false, 1,
                "edgegate/site1/sensor/th", "edgegate/site1/sensor/th/+");
        cleanup.add(readings);
        gateway.start();

        // list: the gateway, online, its version and health, from retained status and info
        GatewayTestSupport.await("site1 listed online with its info", RuntimeProcess.TIMEOUT, () -> {
            Command.Result r = fleet("list");
            return r.ok() && r.output().contains("site1") && r.output().contains("online")
                    && !r.output().contains("no info");
        });
        JsonObject info = JsonParser.parseString(MqttCollector.retained(broker.uri(), "edgegate/site1/info").get(0)
                .text()).getAsJsonObject();
        assertTrue(info.toString(), info.get("uptimeSeconds").getAsLong() >= 0 && info.get("bundles")
                .getAsJsonArray().size() > 10);
        assertTrue(info.toString(), info.get("sensors").toString().contains("\"id\":\"th\""));

        // plain.qos = 0: the plain values come at QoS 0 to a QoS 1 subscription, the JSON readings still at 1
        GatewayTestSupport.await("readings and plain values of th", RuntimeProcess.TIMEOUT,
                () -> !readings.on("edgegate/site1/sensor/th").isEmpty() && readings.matching(m -> m.topic()
                        .startsWith("edgegate/site1/sensor/th/")).size() >= 2);
        assertTrue(readings.messages().toString(), readings.on("edgegate/site1/sensor/th").stream()
                .allMatch(m -> m.qos() == 1));
        assertTrue(readings.messages().toString(), readings.matching(m -> m.topic()
                .startsWith("edgegate/site1/sensor/th/")).stream().allMatch(m -> m.qos() == 0));

        // get: the configuration, the token masked
        Command.Result got = fleet("get", "site1", TH);
        assertEquals(got.output(), 0, got.status());
        assertTrue(got.output(), got.output().contains("port = sim:th?rate=1"));
        assertTrue(got.output(), got.output().contains("api.token = ********") && !got.output().contains("s3cret"));

        // set: applied through Configuration Admin, written back to etc/, the retained copy follows
        Command.Result set = fleet("set", "site1", TH, "port=sim:th?rate=5");
        assertEquals(set.output(), 0, set.status());
        assertTrue(set.output(), set.output().contains("site1: updated"));
        GatewayTestSupport.await("etc/ written back", RuntimeProcess.TIMEOUT, () -> th().contains("rate=5"));
        GatewayTestSupport.await("the retained copy updated", RuntimeProcess.TIMEOUT,
                () -> fleet("get", "site1", TH).output().contains("port = sim:th?rate=5"));
        String good = th();

        // refused by the type (Metatype): nothing touched, the reason in the answer
        Command.Result typed = fleet("set", "site1", TH, "baud=fast");
        assertEquals(typed.output(), 1, typed.status());
        assertTrue(typed.output(), typed.output().contains("REFUSED: baud: 'fast' does not fit its type"));
        // refused by the component (an id another sensor has): the previous configuration is back
        Command.Result component = fleet("set", "site1", TH, "id=gas");
        assertEquals(component.output(), 1, component.status());
        assertTrue(component.output(), component.output().contains("REFUSED: the component refused it")
                && component.output().contains("previous configuration is back"));
        // outside remote.config.allow
        Command.Result outside = fleet("set", "site1", "org.edgegate.zmq.endpoint~native", "bind=tcp://*:1");
        assertEquals(outside.output(), 1, outside.status());
        assertTrue(outside.output(), outside.output().contains("not under remote.config.allow"));
        GatewayTestSupport.await("the sensor th OPEN again", RuntimeProcess.TIMEOUT,
                () -> gateway.cli("gw:status").output().lines().anyMatch(l -> l.contains("th") && l.contains("OPEN")));
        assertEquals("etc/ as it was", good, th());

        // create and delete, by prefix
        Command.Result created = fleet("set", "site*", "org.edgegate.serial.sensor~extra", "port=sim:gas?rate=1",
                "parser=dash", "channels=CO2:co2:ppm");
        assertEquals(created.output(), 0, created.status());
        assertTrue(created.output(), created.output().contains("site1: created"));
        Path extra = etc.resolve("org.edgegate.serial.sensor-extra.cfg");
        GatewayTestSupport.await("etc/ file of the new sensor", RuntimeProcess.TIMEOUT, () -> Files.exists(extra));
        Command.Result deleted = fleet("delete", "site1", "org.edgegate.serial.sensor~extra");
        assertEquals(deleted.output(), 0, deleted.status());
        GatewayTestSupport.await("its etc/ file gone", RuntimeProcess.TIMEOUT, () -> !Files.exists(extra));

        // sensor/th in place of the PID: the sensor whose id is th; one not there yet is created with its id
        Command.Result byId = fleet("get", "site1", "sensor/th");
        assertEquals(byId.output(), 0, byId.status());
        assertTrue(byId.output(), byId.output().contains("port = sim:th?rate=5"));
        Command.Result setById = fleet("set", "site1", "sensor/th", "port=sim:th?rate=4");
        assertEquals(setById.output(), 0, setById.status());
        assertTrue(setById.output(), setById.output().contains("site1: updated"));
        GatewayTestSupport.await("etc/ written back", RuntimeProcess.TIMEOUT, () -> th().contains("rate=4"));
        Command.Result rename = fleet("set", "site1", "sensor/th", "id=other");
        assertEquals(rename.output(), 1, rename.status());
        assertTrue(rename.output(), rename.output().contains("REFUSED: id: sensor/th names the one with id th"));
        Command.Result createdById = fleet("set", "site1", "sensor/extra2", "port=sim:gas?rate=1", "parser=dash",
                "channels=CO2:co2:ppm");
        assertEquals(createdById.output(), 0, createdById.status());
        assertTrue(createdById.output(), createdById.output().contains("site1: created"));
        Path extra2 = etc.resolve("org.edgegate.serial.sensor-extra2.cfg");
        GatewayTestSupport.await("etc/ file of sensor/extra2 with its id", RuntimeProcess.TIMEOUT,
                () -> Files.exists(extra2) && read(extra2).matches("(?s).*(^|\\n)id *= *\"?extra2\"?\\s.*"));
        Command.Result deletedById = fleet("delete", "site1", "sensor/extra2");
        assertEquals(deletedById.output(), 0, deletedById.status());
        GatewayTestSupport.await("its etc/ file gone", RuntimeProcess.TIMEOUT, () -> !Files.exists(extra2));
        Command.Result unknown = fleet("get", "site1", "mqtt/fleet");
        assertEquals(unknown.output(), 2, unknown.status());
        assertTrue(unknown.output(), unknown.output().contains("neither a PID nor camera/<id>, sensor/<id>"));

        // counted and logged with the origin
        JsonObject counters = counters();
        assertEquals(counters.toString(), 6, counters.get("remoteConfigChanges").getAsLong());
        assertEquals(counters.toString(), 4, counters.get("remoteConfigRefused").getAsLong());
        assertTrue(gateway.consoleText() + "", logText().contains("remote configuration updated " + TH
                + " (origin topic edgegate/site1/config/" + TH + "/set"));
        assertFalse("the token is never logged", logText().contains("s3cret"));
    }

    private String logText() throws Exception {
        StringBuilder all = new StringBuilder(gateway.consoleText());
        Path logs = gateway.home().resolve("log");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    all.append(Files.readString(f));
                }
            }
        }
        return all.toString();
    }

    private JsonObject counters() {
        return MqttGateways.counters(gateway, "fleet");
    }
}
