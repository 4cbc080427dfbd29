package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import org.edgegate.api.health.HealthState;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.mqtt.internal.journal.Journal;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The connection's life (docs/mqtt.md "Operations"): the Last Will and the command subscriptions on every
 * connect, RECONNECTING with an operator's sentence while the broker refuses, OPEN again after a loss, and the
 * sentences themselves.
 */
public class BrokerConnectionTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ScriptedClient.Factory factory = new ScriptedClient.Factory();
    private final List<Bridge> bridges = new ArrayList<>();

    @After
    public void stopAll() {
        bridges.forEach(b -> b.stop(1000));
    }

    private Bridge start(Object... keysAndValues) throws IOException {
        Object[] all = new Object[keysAndValues.length + 6];
        System.arraycopy(new Object[] { "id", "c", "gateway", "gw", "reconnect.maxSeconds", 1 }, 0, all, 0, 6);
        System.arraycopy(keysAndValues, 0, all, 6, keysAndValues.length);
        MqttSettings s = Configurations.settings(folder.getRoot().toPath(), all);
        Journal journal = new Journal(folder.getRoot().toPath().resolve("journal-" + bridges.size()),
                s.journalMaxBytes(), 1000);
        Bridge b = new Bridge(s, journal, factory, ConnectorLog.NONE, (t, p) -> { },
                List::of);
        bridges.add(b);
        b.start();
        return b;
    }

    @Test
    public void everyConnectCarriesTheLastWillAndSubscribesToCommands() throws Exception {
        Bridge b = start();
        BridgeTest.await("OPEN", () -> b.health().state() == HealthState.OPEN);
        ScriptedClient client = factory.last();
        assertEquals("edgegate/gw/status", client.connect.willTopic());
        assertEquals("offline", new String(client.connect.willPayload(), StandardCharsets.UTF_8));
        List<String> expected = new ArrayList<>(new Topics("edgegate/gw").commandFilters());
        expected.add("homeassistant/status");
        BridgeTest.await("subscribed", () -> client.subscribed.size() == expected.size());
        assertEquals(expected, client.subscribed);
        assertTrue("never state/#: " + client.subscribed, client.subscribed.stream().noneMatch(f -> f.endsWith("#")));

        client.lose();
        BridgeTest.await("a new connection, OPEN", () -> factory.clients.size() == 2
                && b.health().state() == HealthState.OPEN);
        assertTrue("reconnects counted", b.statistics().reconnects() >= 1);
        assertEquals("the will again", "edgegate/gw/status", factory.last().connect.willTopic());
        assertTrue("the lost client is closed", client.closed);
    }

    @Test
    public void withoutHomeAssistantNoHomeAssistantSubscription() throws Exception {
        Bridge b = start("homeassistant", false, "topicPrefix", "site/7");
        BridgeTest.await("OPEN", () -> b.health().state() == HealthState.OPEN);
        BridgeTest.await("subscribed", () -> !factory.last().subscribed.isEmpty());
        assertEquals(new Topics("site/7").commandFilters(), factory.last().subscribed);
        assertEquals("site/7/status", factory.last().connect.willTopic());
    }

    @Test
    public void aRefusingBrokerShowsAsReconnectingWithASentence() throws Exception {
        factory.connectFailure = new IOException("MqttException", new UnknownHostException("broker.invalid"));
        Bridge b = start();
        BridgeTest.await("RECONNECTING", () -> b.health().state() == HealthState.RECONNECTING);
        assertTrue(b.health().reason(), b.health().reason().startsWith("unknown host broker.invalid"));
        BridgeTest.await("closed clients, retried", () -> factory.clients.size() >= 2);
        assertTrue("every failed client is closed", factory.clients.get(0).closed);
        assertTrue(b.statistics().lastError(), b.statistics().lastError().contains("unknown host"));

        factory.connectFailure = null;
        BridgeTest.await("OPEN once the broker answers", () -> b.health().state() == HealthState.OPEN);
    }

    @Test
    public void aLostNodeIsLeftForTheNextOneAndADownNodeSkipped() throws Exception {
        Bridge b = start("uri", "tcp://a:1,tcp://b:1,tcp://c:1");
        BridgeTest.await("OPEN on a", () -> b.health().state() == HealthState.OPEN && "tcp://a:1".equals(
                b.statistics().node()));
        assertEquals("tcp://a:1", factory.last().node);

        // a dies: the link is lost and its connects refused; the next attempt goes to b, not a again
        factory.down.add("tcp://a:1");
        factory.last().lose();
        BridgeTest.await("OPEN on b", () -> b.health().state() == HealthState.OPEN
                && "tcp://b:1".equals(b.statistics().node()));
        assertEquals("straight to b: " + nodes(), List.of("tcp://a:1", "tcp://b:1"), nodes());

        // b dies too while a is still down: c
        factory.down.add("tcp://b:1");
        factory.last().lose();
        BridgeTest.await("OPEN on c", () -> "tcp://c:1".equals(b.statistics().node()));

        // c dies, a is back: round the list (a), skipping b which is down
        factory.down.remove("tcp://a:1");
        factory.down.add("tcp://c:1");
        factory.last().lose();
        BridgeTest.await("OPEN on a again", () -> "tcp://a:1".equals(b.statistics().node()));
        assertEquals(List.of("tcp://a:1", "tcp://b:1", "tcp://c:1", "tcp://a:1"), nodes());
        BridgeTest.await("three reconnects counted", () -> b.statistics().reconnects() == 3); // counted after OPEN

        // all down: one round tries each node, the reason names each, then the back-off
        factory.down.add("tcp://a:1");
        factory.last().lose();
        BridgeTest.await("RECONNECTING naming every node", () -> b.health().reason().startsWith("tcp://b:1: connection refused")
                && b.health().reason().contains("; tcp://c:1: connection refused")
                && b.health().reason().contains("; tcp://a:1: connection refused"));
        assertEquals("", b.statistics().node());
    }

    private List<String> nodes() {
        return factory.clients.stream().map(c -> c.node).toList();
    }

    @Test
    public void aRefusingNodeIsPassedWithinTheSameAttempt() throws Exception {
        factory.down.add("tcp://b:1");
        Bridge b = start("uri", "tcp://a:1,tcp://b:1,tcp://c:1", "reconnect.maxSeconds", 30);
        BridgeTest.await("OPEN on a", () -> "tcp://a:1".equals(b.statistics().node()));
        factory.down.add("tcp://a:1");
        factory.last().lose();
        // b refuses (a cluster still electing): c in the same attempt, with no back-off in between
        BridgeTest.await("OPEN on c", () -> "tcp://c:1".equals(b.statistics().node()));
        assertEquals(List.of("tcp://a:1", "tcp://b:1", "tcp://c:1"), nodes());
        BridgeTest.await("one reconnect counted", () -> b.statistics().reconnects() == 1); // counted after OPEN
    }

    @Test
    public void sentencesForWhatOperatorsMeet() throws Exception {
        assertEquals("unknown host nowhere", BrokerConnection.describe(
                new IOException("x", new UnknownHostException("nowhere")), false));
        assertTrue(BrokerConnection.describe(new IOException("x", new ConnectException("refused")), false)
                .startsWith("connection refused (is the broker running"));
        String tls = BrokerConnection.describe(new IOException("x", new SSLHandshakeException("PKIX path")), false);
        assertTrue(tls, tls.startsWith("TLS handshake failed: PKIX path") && tls.contains("is ca.file the broker's CA?"));
        assertEquals("Not authorized to connect", BrokerConnection.describe(
                new Exception("Not authorized to connect"), false));
        // on a TLS connection a plain failure is most likely the handshake; a refused login stays what it is
        assertTrue(BrokerConnection.describe(new Exception("Connection lost"), true).startsWith("TLS handshake failed"));
        assertEquals("not authorized", BrokerConnection.describe(new Exception("not authorized"), true));
        assertEquals("lost: EOF", BrokerConnection.describe(new Exception("lost", new IOException("EOF")), false));
        assertEquals("IOException", BrokerConnection.describe(new IOException(), false));
    }

    @Test
    public void tlsSettingsReachTheClient() throws Exception {
        Files.writeString(folder.getRoot().toPath().resolve("ca.pem"), "x");
        start("uri", "ssl://127.0.0.1:8883", "ca.file", "ca.pem");
        BridgeTest.await("a client", () -> factory.last() != null && factory.last().connect != null);
        assertTrue(factory.last().connect.settings().tls());
        assertEquals(folder.getRoot().toPath().resolve("ca.pem"), factory.last().connect.settings().caFile());
    }
}
