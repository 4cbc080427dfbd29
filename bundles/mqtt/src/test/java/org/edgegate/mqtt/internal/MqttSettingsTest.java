package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** docs/mqtt.md's configuration table: the defaults worked out, and every bad value refused naming its key. */
public class MqttSettingsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path etc() {
        return folder.getRoot().toPath();
    }

    private MqttSettings settings(Object... keysAndValues) {
        return Configurations.settings(etc(), keysAndValues);
    }

    private void refused(String key, Object... keysAndValues) {
        Object[] all = new Object[keysAndValues.length + 2];
        all[0] = "id";
        all[1] = "b";
        System.arraycopy(keysAndValues, 0, all, 2, keysAndValues.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(all));
        assertTrue("'" + e.getMessage() + "' names " + key, e.getMessage().startsWith(key) || e.getMessage().contains(key));
    }

    @Test
    public void defaultsAsDocumented() {
        MqttSettings s = settings("id", "home");
        assertEquals("tcp://127.0.0.1:1883", s.uri());
        assertEquals("host", s.gateway());
        assertEquals("edgegate/host", s.prefix());
        assertEquals("edgegate-host-home", s.clientId());
        assertEquals(1, s.qos());
        assertEquals("plain.qos: the same as qos", 1, s.plainQos());
        assertEquals(List.of("camera/"), s.statePrefixes());
        assertEquals(List.of("camera/"), s.commandsAllow());
        assertEquals(List.of(), s.sensors());
        assertTrue(s.carriesSensor("anything") && s.carriesCamera("any") && s.carriesCameras());
        assertEquals(1.0, s.cameraMaxFps(), 0);
        assertTrue(s.homeAssistant());
        assertEquals("homeassistant", s.homeAssistantPrefix());
        assertEquals(64L * 1024 * 1024, s.journalMaxBytes());
        assertEquals(1000, s.journalSyncMillis());
        assertEquals(2000, s.replayRate());
        assertEquals(1000, s.maxInflight());
        assertEquals(30, s.keepAlive());
        assertEquals(30, s.reconnectMaxSeconds());
        assertEquals(0, s.password().length);
        assertNull(s.caFile());
        assertFalse(s.tls());
    }

    @Test
    public void aHostNameBecomesOneTopicLevel() {
        MqttSettings s = Configurations.settings(etc(), "id", "b");
        assertEquals(s.gateway(), Topics.level("host"));
        MqttSettings odd = MqttSettings.of(Configurations.of("id", "b"), etc(), "shed/1+#");
        assertTrue(odd.gateway(), Topics.isPlainLevel(odd.gateway()));
        assertEquals("edgegate/" + odd.gateway(), odd.prefix());
    }

    @Test
    public void explicitNamesAndLists() {
        MqttSettings s = settings("id", "b", "gateway", "shed", "topicPrefix", "farm/shed//", "clientId", "c1",
                "sensors", "th, gas", "state.prefixes", new String[] { "camera/", "sensor/th/" }, "commands.allow", "",
                "homeassistant.prefix", "ha/");
        assertEquals("farm/shed", s.prefix());
        assertEquals("c1", s.clientId());
        assertEquals(List.of("th", "gas"), s.sensors());
        assertTrue(s.carriesSensor("gas"));
        assertFalse(s.carriesSensor("air"));
        assertTrue(s.carriesState("sensor/th/T"));
        assertFalse(s.carriesState("sensor/gas/L"));
        assertFalse("commands.allow empty: none", s.commandAllowed("camera/cam0/enabled"));
        assertEquals("ha", s.homeAssistantPrefix());
    }

    @Test
    public void picturesOffByDashOrZeroRate() {
        assertFalse(settings("id", "b", "cameras", "-").carriesCameras());
        MqttSettings zero = settings("id", "b", "camera.maxFps", 0.0);
        assertFalse(zero.carriesCameras());
        assertFalse(zero.carriesCamera("cam0"));
        MqttSettings one = settings("id", "b", "cameras", "cam1");
        assertTrue(one.carriesCamera("cam1"));
        assertFalse(one.carriesCamera("cam0"));
    }

    @Test
    public void passwordFromItsFileUnlessGivenDirectly() throws Exception {
        Files.writeString(etc().resolve("mqtt.password"), "  s3cret \nsecond line\n");
        assertArrayEquals("s3cret".toCharArray(), settings("id", "b", "password.file", "mqtt.password").password());
        assertArrayEquals("direct".toCharArray(),
                settings("id", "b", ".password", "direct", "password.file", "mqtt.password").password());
        refused("password.file", "password.file", "missing.password");
    }

    @Test
    public void tlsFilesRelativeToEtc() throws Exception {
        for (String f : new String[] { "ca.pem", "gw.pem", "gw.key" }) {
            Files.writeString(etc().resolve(f), "-----BEGIN-----\n");
        }
        MqttSettings s = settings("id", "b", "uri", "ssl://broker:8883", "ca.file", "ca.pem", "cert.file", "gw.pem",
                "key.file", "gw.key");
        assertTrue(s.tls());
        assertEquals(etc().resolve("ca.pem"), s.caFile());
        assertEquals(etc().resolve("gw.pem"), s.certFile());
        assertEquals(etc().resolve("gw.key"), s.keyFile());
        refused("cert.file and key.file", "uri", "ssl://broker:8883", "cert.file", "gw.pem");
        refused("cert.file and key.file", "uri", "ssl://broker:8883", "key.file", "gw.key");
        refused("ssl://", "uri", "tcp://broker:1883", "ca.file", "ca.pem");
        refused("ca.file", "uri", "ssl://broker:8883", "ca.file", "nothere.pem");
    }

    @Test
    public void everyBadValueIsRefusedNamingItsKey() {
        refused("id", "id", "");
        refused("id", "id", "a/b");
        refused("id", "id", "a b");
        refused("uri", "uri", "ftp://broker");
        refused("uri", "uri", "tcp://");
        refused("uri", "uri", "tcp://user:pw@broker:1883");
        refused("uri", "uri", "not a uri");
        refused("gateway", "gateway", "a+b");
        refused("topicPrefix", "topicPrefix", "edgegate/#");
        refused("qos", "qos", 2);
        refused("camera.maxFps", "camera.maxFps", 31.0);
        refused("camera.maxFps", "camera.maxFps", -1.0);
        refused("camera.maxFps", "camera.maxFps", Double.NaN);
        refused("journal.maxMiB", "journal.maxMiB", 0);
        refused("journal.syncMillis", "journal.syncMillis", -1);
        refused("replay.rate", "replay.rate", 0);
        refused("maxInflight", "maxInflight", 9);
        refused("maxInflight", "maxInflight", 65536);
        refused("keepAlive", "keepAlive", 1);
        refused("reconnect.maxSeconds", "reconnect.maxSeconds", 0);
    }

    @Test
    public void aClusterIsAListOfNodesInOrder() {
        MqttSettings s = settings("id", "b", "uri", " tcp://n1:1883, tcp://n2:1883 ,tcp://n3:1884");
        assertEquals(List.of("tcp://n1:1883", "tcp://n2:1883", "tcp://n3:1884"), s.uris());
        assertEquals("tcp://n1:1883,tcp://n2:1883,tcp://n3:1884", s.uri());
        assertEquals(List.of("tcp://127.0.0.1:1883"), settings("id", "b").uris());
        assertTrue(settings("id", "b", "uri", "ssl://n1:8883,ssl://n2:8883").tls());
    }

    @Test
    public void aMalformedListIsRefusedSayingWhichUri() {
        refused("URI 2 of 3 is empty (a stray comma?)", "uri", "tcp://a:1,,tcp://c:1");
        refused("URI 2 of 2 is empty", "uri", "tcp://a:1,");
        refused("uri: empty", "uri", " ");
        refused("uri (URI 2 of 2): 'ftp://b' must start with tcp:// or ssl://", "uri", "tcp://a:1,ftp://b");
        refused("uri (URI 1 of 2)", "uri", "tcp://user:pw@a:1,tcp://b:1");
        refused("is listed twice", "uri", "tcp://a:1,tcp://a:1");
        refused("mixes tcp:// and ssl://", "uri", "tcp://a:1,ssl://b:2");
        // bounded: a count and a length, checked before anything is parsed
        String seventeen = String.join(",", java.util.Collections.nCopies(17, "tcp://a:1"));
        refused("17 URIs, at most 16", "uri", seventeen);
        refused("characters, at most 512", "uri", "tcp://" + "a".repeat(600) + ":1");
        refused("is too long", "uri", "x".repeat(100_000));
        assertEquals(16, settings("id", "b", "uri", String.join(",",
                java.util.stream.IntStream.range(0, 16).mapToObj(i -> "tcp://n" + i + ":1").toList())).uris().size());
    }

    @Test
    public void remoteConfigurationIsOffAndAllowsSensorsAndCamerasByDefault() {
        MqttSettings s = settings("id", "b");
        assertFalse(s.remoteConfig());
        assertTrue(s.remoteConfigAllowed("org.edgegate.serial.sensor~th"));
        assertTrue(s.remoteConfigAllowed("org.edgegate.camera~demo"));
        assertFalse(s.remoteConfigAllowed("org.edgegate.mqtt.broker~home"));
        assertFalse(s.remoteConfigAllowed("org.edgegate.serial.sensorX"));
        MqttSettings exact = settings("id", "b", "remote.config", true, "remote.config.allow", "org.edgegate.logging");
        assertTrue(exact.remoteConfig() && exact.remoteConfigAllowed("org.edgegate.logging"));
        assertFalse(exact.remoteConfigAllowed("org.edgegate.logging2"));
        refused("remote.config.allow", "remote.config.allow", "(objectClass=*)");
        refused("remote.config.allow", "remote.config.allow", "a/b*");
    }

    @Test
    public void edgesOfTheRangesAreAccepted() {
        MqttSettings s = settings("id", "b", "qos", 0, "camera.maxFps", 30.0, "journal.maxMiB", 1,
                "journal.syncMillis", 0, "replay.rate", 1, "maxInflight", 10, "keepAlive", 2, "reconnect.maxSeconds", 1);
        assertEquals(0, s.qos());
        assertEquals("plain.qos follows qos", 0, s.plainQos());
        assertEquals(1024L * 1024, s.journalMaxBytes());
        assertEquals(10, s.maxInflight());
        assertEquals(65535, settings("id", "b", "maxInflight", 65535).maxInflight());
    }

    @Test
    public void plainValuesHaveTheirOwnQos() {
        assertEquals(0, settings("id", "b", "plain.qos", 0).plainQos());
        assertEquals(1, settings("id", "b", "plain.qos", 0).qos());
        assertEquals(1, settings("id", "b", "qos", 0, "plain.qos", 1).plainQos());
        refused("plain.qos", "plain.qos", 2);
        refused("plain.qos", "plain.qos", -2);
    }
}
