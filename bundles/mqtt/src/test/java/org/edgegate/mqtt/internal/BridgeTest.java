package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.edgegate.api.health.HealthState;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.mqtt.internal.journal.Journal;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bridge's data path (docs/mqtt.md "Store-and-forward") on a scripted client: straight while the broker keeps
 * up, journaled in order while it is away and replayed before newer readings, in-flight readings sent again after
 * a loss, a full window losing nothing, QoS 0 never journaled, and a stop that says offline and keeps the unsent.
 */
public class BridgeTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ScriptedClient.Factory factory = new ScriptedClient.Factory();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<Bridge> bridges = new ArrayList<>();
    private Journal journal;

    @After
    public void stopAll() {
        bridges.forEach(b -> b.stop(1000));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L); // a poll, not a wait for time
        }
    }

    private Path journalDir() {
        return folder.getRoot().toPath().resolve("journal");
    }

    private Bridge bridge(Object... keysAndValues) throws IOException {
        Object[] all = new Object[keysAndValues.length + 8];
        System.arraycopy(new Object[] { "id", "b", "gateway", "gw", "reconnect.maxSeconds", 1, "homeassistant",
                false }, 0, all, 0, 8);
        System.arraycopy(keysAndValues, 0, all, 8, keysAndValues.length);
        MqttSettings s = Configurations.settings(folder.getRoot().toPath(), all);
        journal = new Journal(journalDir(), s.journalMaxBytes(), s.journalSyncMillis());
        Bridge b = new Bridge(s, journal, factory, ConnectorLog.of((f, a) -> { }, (f, a) -> warnings.add(ConnectorLog.format(f, a)), (f, a) -> { }),
                (topic, payload) -> { }, () -> List.of(Outbound.latest("edgegate/gw/status",
                        "online".getBytes(StandardCharsets.UTF_8), 1, true)));
        bridges.add(b);
        return b;
    }

    private static void offer(Bridge b, int from, int to) {
        for (int i = from; i < to; i++) {
            b.offerHistory("edgegate/gw/sensor/th", ("r" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The readings published, in order (on every client made so far). */
    private List<String> readings() {
        return factory.published().stream().filter(p -> p.topic().equals("edgegate/gw/sensor/th"))
                .map(ScriptedClient.Published::payload).toList();
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("r" + i);
        }
        return out;
    }

    private void awaitOpen(Bridge b) {
        await("OPEN (now " + b.health() + ")", () -> b.health().state() == HealthState.OPEN);
    }

    @Test
    public void straightToABrokerThatKeepsUpAndTheJournalUntouched() throws Exception {
        factory.autoAck = true;
        Bridge b = bridge();
        b.start();
        awaitOpen(b);
        await("the retained status published on connect", () -> factory.published().stream()
                .anyMatch(p -> p.topic().equals("edgegate/gw/status") && p.payload().equals("online") && p.retained()));
        offer(b, 0, 200);
        await("200 readings", () -> readings().size() == 200);
        assertEquals(expected(0, 200), readings());
        assertEquals("a healthy gateway does not write its journal", 0, journal.appended());
        await("counted as sent", () -> b.sent() >= 200);
        ScriptedClient.Published first = factory.published().stream()
                .filter(p -> p.topic().equals("edgegate/gw/sensor/th")).findFirst().orElseThrow();
        assertEquals(1, first.qos());
        assertFalse(first.retained());
    }

    @Test
    public void journaledInOrderWhileAwayAndReplayedBeforeNewerReadings() throws Exception {
        factory.connectFailure = new IOException("connection refused");
        Bridge b = bridge();
        b.start();
        offer(b, 0, 300);
        await("300 journaled", () -> b.pending() == 300);
        await("RECONNECTING (now " + b.health() + ")", () -> b.health().state() == HealthState.RECONNECTING);
        assertTrue(readings().isEmpty());

        factory.autoAck = true;
        factory.connectFailure = null;
        offer(b, 300, 400); // newer readings queue behind the backlog
        await("400 readings", () -> readings().size() >= 400);
        assertEquals(expected(0, 400), readings());
        await("the journal drained", () -> b.pending() == 0);
        BridgeStatistics s = b.statistics();
        assertTrue(s.toString(), s.journaled() >= 300);
        assertEquals("everything journaled was replayed: " + s, s.journaled(), s.replayed());
    }

    @Test
    public void readingsInFlightWhenTheLinkGoesAreSentAgain() throws Exception {
        Bridge b = bridge();
        b.start();
        awaitOpen(b);
        ScriptedClient first = factory.last();
        offer(b, 0, 10);
        await("10 readings in flight", () -> readings().size() == 10);
        factory.autoAck = true;
        first.lose();
        await("a second connection", () -> factory.clients.size() >= 2);
        await("the ten again on it", () -> factory.last().published.stream()
                .filter(p -> p.topic().endsWith("/sensor/th")).count() == 10);
        List<String> again = factory.last().published.stream().filter(p -> p.topic().endsWith("/sensor/th"))
                .map(ScriptedClient.Published::payload).toList();
        assertEquals("delivered twice, never zero times, in order", expected(0, 10), again);
        await("all acknowledged", () -> b.pending() == 0);
    }

    @Test
    public void aFullWindowLosesNothingAndKeepsTheOrder() throws Exception {
        factory.window = 5;
        Bridge b = bridge();
        b.start();
        awaitOpen(b);
        offer(b, 0, 100);
        await("the window filled", () -> factory.last().unacknowledged() == 5);
        assertTrue("held back while the window is full: " + readings().size(), readings().size() <= 5);
        await("every reading, acknowledging as the broker would", () -> {
            factory.last().ackAll();
            return readings().size() == 100;
        });
        List<String> got = readings();
        assertEquals(expected(0, 100), got);
    }

    @Test
    public void qos0IsNeverJournaled() throws Exception {
        factory.connectFailure = new IOException("connection refused");
        Bridge b = bridge("qos", 0);
        b.start();
        offer(b, 0, 50);
        await("50 dropped", () -> b.statistics().dropped() == 50);
        BridgeStatistics s = b.statistics();
        assertEquals(s.toString(), 0, s.journaled());
        assertEquals(s.toString(), 0, s.pending());
        assertEquals(0, journal.bytes());

        factory.connectFailure = null;
        awaitOpen(b);
        offer(b, 50, 60);
        await("the live ones", () -> readings().size() == 10);
        assertEquals("nothing of the outage comes later", expected(50, 60), readings());
        assertEquals(0, factory.published().stream().filter(p -> p.topic().endsWith("/sensor/th"))
                .filter(p -> p.qos() != 0).count());
    }

    @Test
    public void stopSaysOfflineAndKeepsWhatIsUnsent() throws Exception {
        Bridge b = bridge();
        b.start();
        awaitOpen(b);
        ScriptedClient client = factory.last();
        offer(b, 0, 7);
        await("7 in flight", () -> readings().size() == 7);
        bridges.remove(b);
        b.stop(1000);
        ScriptedClient.Published last = client.published.get(client.published.size() - 1);
        assertEquals("edgegate/gw/status", last.topic());
        assertEquals("offline", last.payload());
        assertTrue(last.retained());
        assertTrue(client.closed);
        assertEquals("no thread left", 0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("edgegate-mqtt-b")).count());
        try (Journal reopened = new Journal(journalDir(), 1 << 20, 1000)) {
            assertEquals("the unacknowledged are journaled for the next start", 7, reopened.pending());
            for (int i = 0; i < 7; i++) {
                assertEquals("r" + i, new String(reopened.next().payload(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(warnings.toString(), warnings.isEmpty());
    }
}
