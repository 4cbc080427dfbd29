package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.Meter;
import org.edgegate.kernel.Threads;
import org.edgegate.mqtt.internal.journal.Journal;

/**
 * One broker connection's data path: a sender thread that owns the journal and the in-flight window, beside the
 * {@link BrokerConnection} (the connector kernel) that opens and reopens the link. Listeners hand it messages
 * through {@link #offerHistory} and {@link #offerLatest}, which never block; everything that touches the network
 * or the disk happens on the sender thread, which keeps journaling while there is no link.
 *
 * <p>History messages (readings) go straight to the broker while it is connected, the journal is empty and the
 * in-flight window has room; otherwise into the journal, which is replayed in order at {@code replay.rate} once
 * the broker is back (new readings queue behind it, so a topic's readings stay in order). Messages in flight when
 * the connection drops are journaled again (QoS 1 may then deliver them twice). Latest-value messages keep only the
 * newest per topic while the broker is away, and everything retained (status, discovery, state) is published again
 * on every connect.
 */
final class Bridge {
    private static final int QUEUE = 16_384;
    private static final int LATEST_MAX = 10_000;

    private final MqttSettings settings;
    private final Topics topics;
    private final Journal journal;
    private final ConnectorLog log;
    private final Supplier<List<Outbound>> retained;
    private final BrokerConnection connector;
    private final HistoryPath history;

    private final ArrayBlockingQueue<Outbound> queue = new ArrayBlockingQueue<>(QUEUE);
    private final LinkedHashMap<String, Outbound> latest = new LinkedHashMap<>();
    private final List<Outbound> latestInFlight = new ArrayList<>();

    private final Meter sent = new Meter();
    private final AtomicLong dropped = new AtomicLong();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean republish;
    private volatile Link current;
    private volatile Instant connectedSince;
    private volatile Health failure;

    // sender thread only
    private Link seen;

    Bridge(MqttSettings settings, Journal journal, BrokerClient.Factory factory, ConnectorLog log,
            BiConsumer<String, byte[]> incoming, Supplier<List<Outbound>> retained) {
        this.settings = settings;
        this.topics = new Topics(settings.prefix());
        this.journal = journal;
        this.log = log;
        this.retained = retained;
        this.connector = new BrokerConnection(settings, factory, incoming, this, log);
        this.history = new HistoryPath(journal, settings, dropped);
    }

    /** Starts the sender, then the connection. */
    void start() {
        running = true;
        Thread t = new Thread(this::run, "edgegate-mqtt-" + settings.id() + "-send");
        t.setDaemon(true);
        thread = t;
        t.start();
        connector.start();
    }

    /**
     * Stops: the sender says offline and journals what is unsent, then the connection closes, then the
     * journal.
     */
    void stop(long graceMillis) {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            if (!Threads.join(t, graceMillis)) {
                // not interrupted: an interrupt would close the journal's files under it
                log.warn("mqtt {}: sender did not stop within {} ms", settings.id(), graceMillis);
                Threads.join(t, graceMillis);
            }
        }
        connector.stop(graceMillis);
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("mqtt {}: closing the journal failed: {}", settings.id(), e.toString());
        }
    }

    /** The connector opened a link: the sender publishes on it from now on. */
    void attach(Link link) {
        current = link;
        connectedSince = Instant.now();
        wake();
    }

    /** The connector closed the link: the sender journals what was in flight on it. */
    void detach(Link link) {
        if (current == link) {
            current = null;
            connectedSince = null;
        }
        wake();
    }

    long sent() {
        return sent.count();
    }

    long pending() {
        return journal.pending();
    }

    // ---- called by listeners, on their threads: never block ----

    /** A reading (JSON): in order, journaled while it cannot be sent when QoS 1. */
    void offerHistory(String topic, byte[] payload) {
        if (!queue.offer(Outbound.history(topic, payload, settings.qos()))) {
            dropped.incrementAndGet();
        }
        wake();
    }

    /** A value of which only the newest per topic matters. */
    void offerLatest(String topic, byte[] payload, int qos, boolean retain) {
        synchronized (latest) {
            latest.remove(topic); // re-insert at the end: oldest topics go first when full
            latest.put(topic, Outbound.latest(topic, payload, qos, retain));
            if (latest.size() > LATEST_MAX) {
                Iterator<String> oldest = latest.keySet().iterator();
                oldest.next();
                oldest.remove();
                dropped.incrementAndGet();
            }
        }
        wake();
    }

    /** Publish the retained messages again (Home Assistant restarted). */
    void requestRepublish() {
        republish = true;
        wake();
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- the sender thread ----

    private void run() {
        try {
            while (running) {
                Link c = current;
                if (c != seen) {
                    if (seen != null) {
                        lost();
                    }
                    seen = c;
                    if (c != null) {
                        history.connected();
                        republish = true;
                    }
                }
                boolean up = c != null && c.usable();
                if (up && republish) {
                    republish = false;
                    for (Outbound o : retained.get()) {
                        offerLatest(o.topic, o.payload, o.qos, o.retained);
                    }
                }
                drainReadings(up ? c : null);
                if (up) {
                    commitAcknowledged();
                    history.replay(c, this::publish);
                    sendLatest(c);
                }
                journal.sync(false);
                if ((queue.isEmpty() || !up) && !(up && history.hasUnread()) && c == seen) {
                    LockSupport.parkNanos(this, 50_000_000L);
                } else if (up && c.inflight.get() >= settings.maxInflight()) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = Health.of(HealthState.FAILED, "journal: " + e.getMessage());
            log.warn("mqtt {} stopped sending: {}", settings.id(), e.toString());
        } finally {
            shutdown();
        }
    }

    /** The link went: journal what was in flight on it, resend unacknowledged journal records later. */
    private void lost() throws IOException {
        history.lost();
        synchronized (latest) {
            for (Outbound o : latestInFlight) {
                if (!o.acked) {
                    latest.putIfAbsent(o.topic, o);
                }
            }
        }
        latestInFlight.clear();
    }

    private void drainReadings(Link c) throws IOException {
        // at most one queue's worth per turn: a sensor faster than the disk must not keep the sender from
        // replaying, sending latest values or stopping
        int budget = QUEUE;
        for (Outbound o; budget-- > 0 && (o = queue.peek()) != null;) {
            if (o.qos == 0) {
                if (c == null) {
                    queue.poll();
                    dropped.incrementAndGet(); // QoS 0 is never journaled
                    continue;
                }
                // three quarters of the window at most: a flood of QoS 0 must leave room for replay and latest values
                if (c.inflight.get() >= settings.maxInflight() * 3 / 4 || !publish(c, o)) {
                    if (queue.size() < QUEUE * 3 / 4) {
                        return; // window full: wait
                    }
                    dropped.incrementAndGet();
                }
                queue.poll();
                continue;
            }
            boolean backlog = history.backlog();
            if (c != null && !backlog && c.inflight.get() < settings.maxInflight()
                    && history.sendStraight(c, o, this::publish)) {
                queue.poll();
                continue;
            }
            if (c != null && !backlog && queue.size() < QUEUE * 3 / 4) {
                return; // window full: wait for acknowledgements, the queue absorbs a burst
            }
            // broker away, journal not empty or window full for long: to the journal, behind what is in flight
            history.spill();
            queue.poll();
            history.append(o);
        }
        history.prune();
    }

    private void commitAcknowledged() throws IOException {
        history.commitAcknowledged();
        latestInFlight.removeIf(o -> o.acked);
    }

    private void sendLatest(Link c) {
        while (c.usable()) {
            Outbound o;
            synchronized (latest) {
                if (latest.isEmpty() || c.inflight.get() >= settings.maxInflight()) {
                    return;
                }
                Iterator<Outbound> first = latest.values().iterator();
                o = first.next();
                first.remove();
            }
            if (o.qos > 0) {
                latestInFlight.add(o);
            }
            if (!publish(c, o)) {
                latestInFlight.remove(o);
                synchronized (latest) {
                    latest.putIfAbsent(o.topic, o);
                }
                return;
            }
        }
    }

    /**
     * Hands a message to the client; false when the client's own window is full (nothing sent: try again
     * later). Every message counts in the window until done, QoS 0 too (Paho counts them).
     */
    private boolean publish(Link c, Outbound o) {
        c.inflight.incrementAndGet();
        try {
            c.client.publish(o.topic, o.payload, o.qos, o.retained, failure -> {
                c.inflight.decrementAndGet();
                if (failure == null) {
                    o.acked = true;
                    sent.mark();
                    if (o.entry != null || c.inflight.get() == 0) {
                        wake();
                    }
                } else {
                    c.lose(failure);
                }
            });
            return true;
        } catch (BrokerClient.Busy busy) {
            c.inflight.decrementAndGet();
            return false;
        } catch (Exception e) {
            c.inflight.decrementAndGet();
            if (!o.history) {
                synchronized (latest) {
                    latest.putIfAbsent(o.topic, o);
                }
            }
            c.lose(e);
            return true;
        }
    }

    private void shutdown() {
        Link c = current;
        try {
            if (c != null && c.usable()) {
                // a clean disconnect sends no Last Will: say offline ourselves
                try {
                    c.client.publish(topics.status(), "offline".getBytes(StandardCharsets.UTF_8), 1, true, f -> { });
                } catch (Exception ignored) {
                    // going away anyway
                }
                commitAcknowledged();
            }
            history.spill();
            for (Outbound o; (o = queue.poll()) != null;) {
                if (o.qos > 0) {
                    history.append(o);
                }
            }
            journal.sync(true);
        } catch (IOException | RuntimeException e) {
            log.warn("mqtt {}: journaling on stop failed: {}", settings.id(), e.toString());
        }
    }

    // ---- what operators see ----

    Health health() {
        Health f = failure;
        return f != null ? f : connector.health();
    }

    BridgeStatistics statistics() {
        Link c = current;
        int queued;
        synchronized (latest) {
            queued = queue.size() + latest.size();
        }
        return new BridgeStatistics(health().state().name(), connectedSince, sent.count(), sent.perSecond(), queued,
                journal.appended(), journal.pending(), history.replayed(), dropped.get() + journal.dropped(),
                journal.dropped(), journal.bytes(), journal.corrupt(), commands.get(), refused.get(),
                connector.reconnects(), c == null ? 0 : c.inflight.get(), connector.lastError(), connector.node());
    }

    MqttSettings settings() {
        return settings;
    }
}
