package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;

/**
 * One broker connection: a sender thread that owns the client, the journal and the in-flight window. Listeners
 * hand it messages through {@link #offerHistory} and {@link #offerLatest}, which never block; everything that
 * touches the network or the disk happens on the sender thread.
 *
 * <p>History messages (readings) go straight to the broker while it is connected, the journal is empty and the
 * in-flight window has room; otherwise into the journal, which is replayed in order at {@code replay.rate} once
 * the broker is back (new readings queue behind it, so a topic's readings stay in order). Messages in flight when
 * the connection drops are journaled again (QoS 1 may then deliver them twice). Latest-value messages keep only the
 * newest per topic while the broker is away, and everything retained (status, discovery, state) is published again
 * on every connect.
 */
final class Bridge {
    interface Log {
        void info(String message);

        void warn(String message);
    }

    private static final int QUEUE = 16_384;
    private static final int LATEST_MAX = 10_000;
    private static final long CONNECT_DEADLINE = 20_000_000_000L;

    private final MqttSettings settings;
    private final Topics topics;
    private final Journal journal;
    private final BrokerClient.Factory factory;
    private final Log log;
    private final BiConsumer<String, byte[]> incoming;
    private final Supplier<List<Outbound>> retained;

    private final ArrayBlockingQueue<Outbound> queue = new ArrayBlockingQueue<>(QUEUE);
    private final LinkedHashMap<String, Outbound> latest = new LinkedHashMap<>();
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Outbound> direct = new ArrayDeque<>();
    private final ArrayDeque<Outbound> replaying = new ArrayDeque<>();
    private final List<Outbound> latestInFlight = new ArrayList<>();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean republish;
    private volatile Health health = Health.of(HealthState.STARTING, "connecting");
    private volatile Instant connectedSince;
    private volatile String lastError = "";
    private volatile Connection connection;

    // sender thread only
    private long nextAttempt;
    private long backoffMillis;
    private double replayTokens;
    private long lastRefill = System.nanoTime();
    private String lastLogged = "";

    /** One client and its in-flight window; callbacks of an older connection only touch their own counter. */
    private static final class Connection {
        volatile BrokerClient client;
        final long started = System.nanoTime();
        final AtomicInteger inflight = new AtomicInteger();
        volatile boolean connected;
    }

    Bridge(MqttSettings settings, Journal journal, BrokerClient.Factory factory, Log log,
            BiConsumer<String, byte[]> incoming, Supplier<List<Outbound>> retained) {
        this.settings = settings;
        this.topics = new Topics(settings.prefix());
        this.journal = journal;
        this.factory = factory;
        this.log = log;
        this.incoming = incoming;
        this.retained = retained;
    }

    void start() {
        running = true;
        Thread t = new Thread(this::run, "edgegate-mqtt-" + settings.id());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the sender: status offline, unsent readings into the journal, client and journal closed. */
    void stop(long deadlineMillis) {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(deadlineMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("mqtt " + settings.id() + ": sender did not stop within " + deadlineMillis + " ms");
                t.interrupt();
            }
        }
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
                for (Runnable e; (e = events.poll()) != null;) {
                    e.run();
                }
                Connection c = connection;
                long now = System.nanoTime();
                if (c == null && now - nextAttempt >= 0) {
                    connect();
                } else if (c != null && !c.connected && now - c.started > CONNECT_DEADLINE) {
                    lost(c, new IOException("timed out waiting for the broker to answer"));
                }
                c = connection;
                boolean up = c != null && c.connected;
                if (up && republish) {
                    republish = false;
                    for (Outbound o : retained.get()) {
                        offerLatest(o.topic, o.payload, o.qos, o.retained);
                    }
                }
                drainReadings(up ? c : null);
                if (up) {
                    commitAcknowledged();
                    replay(c);
                    sendLatest(c);
                }
                journal.sync(false);
                if (events.isEmpty() && (queue.isEmpty() || !up) && !(up && journal.hasUnread())) {
                    LockSupport.parkNanos(this, 50_000_000L);
                } else if (up && c.inflight.get() >= settings.maxInflight()) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
        } catch (IOException | RuntimeException e) {
            health = Health.of(HealthState.FAILED, "journal: " + e.getMessage());
            lastError = health.reason();
            log.warn("mqtt " + settings.id() + " stopped: " + e);
        } finally {
            shutdown();
        }
    }

    private void connect() {
        Connection c = new Connection();
        try {
            c.client = factory.create(settings, new BrokerClient.Events() {
                @Override
                public void connectionLost(Throwable cause) {
                    post(() -> lost(c, cause));
                }

                @Override
                public void messageArrived(String topic, byte[] payload) {
                    incoming.accept(topic, payload);
                }
            });
        } catch (Exception e) {
            failed(e, false);
            return;
        }
        connection = c;
        try {
            c.client.connect(new BrokerClient.Connect(settings, topics.status(),
                    "offline".getBytes(StandardCharsets.UTF_8)), failure -> post(() -> connected(c, failure)));
        } catch (Exception e) {
            lost(c, e);
        }
    }

    /** Runs an event on the sender thread. */
    private void post(Runnable event) {
        events.add(event);
        wake();
    }

    private void connected(Connection c, Throwable failure) {
        if (c != connection) {
            return;
        }
        if (failure != null) {
            lost(c, failure);
            return;
        }
        c.connected = true;
        connectedSince = Instant.now();
        backoffMillis = 0;
        health = Health.of(HealthState.OPEN, "connected to " + settings.displayUri());
        lastLogged = "";
        log.info("mqtt " + settings.id() + ": connected to " + settings.displayUri() + " as " + settings.clientId()
                + (journal.pending() > 0 ? ", " + journal.pending() + " journaled messages to replay" : ""));
        journal.rewind();
        List<String> filters = new ArrayList<>(topics.commandFilters());
        if (settings.homeAssistant()) {
            filters.add(settings.homeAssistantPrefix() + "/status");
        }
        try {
            c.client.subscribe(filters, failure2 -> {
                if (failure2 != null) {
                    log.warn("mqtt " + settings.id() + ": subscribing to commands failed: " + describe(failure2));
                }
            });
        } catch (Exception e) {
            log.warn("mqtt " + settings.id() + ": subscribing to commands failed: " + describe(e));
        }
        republish = true;
    }

    /** The connection failed or was lost: journal what was in flight, close the client, back off. */
    private void lost(Connection c, Throwable cause) {
        if (c == null || c != connection) {
            return;
        }
        boolean wasUp = c.connected;
        connection = null;
        connectedSince = null;
        c.connected = false;
        c.client.close();
        try {
            spill();
        } catch (IOException e) {
            throw new IllegalStateException("cannot journal in-flight messages: " + e.getMessage(), e);
        }
        direct.clear();
        replaying.clear();
        journal.rewind();
        synchronized (latest) {
            for (Outbound o : latestInFlight) {
                if (!o.acked) {
                    latest.putIfAbsent(o.topic, o);
                }
            }
        }
        latestInFlight.clear();
        if (wasUp) {
            reconnects.incrementAndGet();
        }
        failed(cause, !wasUp && settings.tls());
    }

    private void failed(Throwable cause, boolean handshake) {
        String why = describe(cause);
        if (handshake && !why.startsWith("TLS") && !why.startsWith("unknown host") && !why.startsWith("connection refused")
                && !why.contains("not authorized")) {
            why = "TLS handshake failed: " + why + " (is it a TLS port? is ca.file the broker's CA?)";
        }
        lastError = why;
        backoffMillis = backoffMillis == 0 ? 500 : Math.min(settings.reconnectMaxSeconds() * 1000L, backoffMillis * 2);
        long wait = (long) (backoffMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        nextAttempt = System.nanoTime() + wait * 1_000_000L;
        health = Health.of(HealthState.RECONNECTING, why + "; retrying in " + (wait >= 1000 ? wait / 1000 + " s" : wait + " ms"));
        if (!why.equals(lastLogged)) {
            lastLogged = why;
            log.warn("mqtt " + settings.id() + " (" + settings.displayUri() + "): " + why
                    + "; retrying with back-off up to " + settings.reconnectMaxSeconds() + " s");
        }
    }

    /** Copies readings sent straight to the broker and not yet acknowledged into the journal, in order. */
    private void spill() throws IOException {
        for (Outbound o : direct) {
            if (!o.acked && !o.spilled) {
                o.spilled = true;
                journalAppend(o);
            }
        }
    }

    private void journalAppend(Outbound o) throws IOException {
        try {
            journal.append(o.topic, o.payload);
        } catch (IllegalArgumentException tooLarge) {
            dropped.incrementAndGet();
        }
    }

    private void drainReadings(Connection c) throws IOException {
        for (Outbound o; (o = queue.peek()) != null;) {
            if (o.qos == 0) {
                queue.poll();
                if (c != null) {
                    publish(c, o);
                } else {
                    dropped.incrementAndGet(); // QoS 0 is never journaled
                }
                continue;
            }
            boolean backlog = journal.pending() > 0;
            if (c != null && !backlog && c.inflight.get() < settings.maxInflight()) {
                queue.poll();
                direct.add(o);
                publish(c, o);
                continue;
            }
            if (c != null && !backlog && queue.size() < QUEUE * 3 / 4) {
                return; // window full: wait for acknowledgements, the queue absorbs a burst
            }
            // broker away, journal not empty or window full for long: to the journal, behind what is in flight
            spill();
            queue.poll();
            journalAppend(o);
        }
        pruneDirect();
    }

    private void pruneDirect() {
        while (!direct.isEmpty() && (direct.peek().acked || direct.peek().spilled)) {
            direct.poll();
        }
        if (direct.size() > 4 * settings.maxInflight()) {
            direct.removeIf(o -> o.acked || o.spilled);
        }
    }

    private void commitAcknowledged() throws IOException {
        while (!replaying.isEmpty() && replaying.peek().acked) {
            journal.commit(replaying.poll().entry);
            replayed.incrementAndGet();
        }
        latestInFlight.removeIf(o -> o.acked);
    }

    private void replay(Connection c) throws IOException {
        long now = System.nanoTime();
        replayTokens = Math.min(settings.replayRate() / 10.0 + 1,
                replayTokens + (now - lastRefill) / 1e9 * settings.replayRate());
        lastRefill = now;
        while (replayTokens >= 1 && c.inflight.get() < settings.maxInflight() && c.connected) {
            Journal.Entry e = journal.next();
            if (e == null) {
                break;
            }
            Outbound o = Outbound.replay(e);
            replaying.add(o);
            replayTokens--;
            publish(c, o);
        }
    }

    private void sendLatest(Connection c) {
        while (c.connected) {
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
            publish(c, o);
        }
    }

    private void publish(Connection c, Outbound o) {
        if (o.qos > 0) {
            c.inflight.incrementAndGet();
        }
        try {
            c.client.publish(o.topic, o.payload, o.qos, o.retained, failure -> {
                if (o.qos > 0) {
                    c.inflight.decrementAndGet();
                }
                if (failure == null) {
                    o.acked = true;
                    sent.incrementAndGet();
                    if (o.qos > 0 && (o.entry != null || c.inflight.get() == 0)) {
                        wake();
                    }
                } else {
                    post(() -> lost(c, failure));
                }
            });
        } catch (Exception e) {
            if (o.qos > 0) {
                c.inflight.decrementAndGet();
            }
            if (!o.history) {
                synchronized (latest) {
                    latest.putIfAbsent(o.topic, o);
                }
            }
            lost(c, e);
        }
    }

    private void shutdown() {
        Connection c = connection;
        try {
            if (c != null && c.connected) {
                // a clean disconnect sends no Last Will: say offline ourselves
                try {
                    c.client.publish(topics.status(), "offline".getBytes(StandardCharsets.UTF_8), 1, true, f -> { });
                } catch (Exception ignored) {
                    // going away anyway
                }
                commitAcknowledged();
            }
            if (c != null) {
                connection = null;
                c.client.close();
            }
            spill();
            for (Outbound o; (o = queue.poll()) != null;) {
                if (o.qos > 0) {
                    journalAppend(o);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("mqtt " + settings.id() + ": journaling on stop failed: " + e);
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                log.warn("mqtt " + settings.id() + ": closing the journal failed: " + e);
            }
            if (health.state() != HealthState.FAILED) {
                health = Health.of(HealthState.STOPPED, "");
            }
        }
    }

    // ---- what operators see ----

    Health health() {
        return health;
    }

    BridgeStatistics statistics() {
        Connection c = connection;
        int queued;
        synchronized (latest) {
            queued = queue.size() + latest.size();
        }
        return new BridgeStatistics(health.state().name(), connectedSince, sent.get(), queued, journal.appended(),
                journal.pending(), replayed.get(), dropped.get() + journal.dropped(), journal.dropped(),
                journal.bytes(), journal.corrupt(), commands.get(), refused.get(), reconnects.get(),
                c == null ? 0 : c.inflight.get(), lastError);
    }

    MqttSettings settings() {
        return settings;
    }

    /** A sentence an operator understands, from what the client library threw. */
    static String describe(Throwable t) {
        if (t == null) {
            return "connection lost";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof ConnectException) {
                return "connection refused (is the broker running and listening on that port?)";
            }
            if (c instanceof SSLException) {
                return "TLS handshake failed: " + c.getMessage() + " (is it a TLS port? is ca.file the broker's CA?)";
            }
        }
        String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !why.contains(cause.getMessage())) {
            why += ": " + cause.getMessage();
        }
        return why;
    }

    /** For tests: waiting readings. */
    int queueSize() {
        return queue.size();
    }
}
