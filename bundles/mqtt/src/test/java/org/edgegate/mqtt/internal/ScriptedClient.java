package org.edgegate.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client library's side of {@link BrokerClient}, scripted by the test: connects succeed or fail as told,
 * publishes are recorded and completed when the test says so (the broker's acknowledgement), the window can be
 * made full, and the connection can be lost. What the real broker does is MqttIT's; this makes orders and
 * windows exact.
 */
final class ScriptedClient implements BrokerClient {
    record Published(String topic, String payload, int qos, boolean retained, Completion done) {
    }

    /** Every client the factory made, in order, and what the next connect answers. */
    static final class Factory implements BrokerClient.Factory {
        final List<ScriptedClient> clients = new CopyOnWriteArrayList<>();
        volatile Throwable connectFailure;
        /** Nodes whose connects are refused (a broker node that is down). */
        final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Acknowledge every publish at once (a broker keeping up). */
        volatile boolean autoAck;
        /** Publishes beyond this many unacknowledged throw Busy. */
        volatile int window = Integer.MAX_VALUE;

        @Override
        public BrokerClient create(MqttSettings settings, String node, Events events) {
            ScriptedClient c = new ScriptedClient(this, node, events);
            clients.add(c);
            return c;
        }

        ScriptedClient last() {
            return clients.isEmpty() ? null : clients.get(clients.size() - 1);
        }

        /** Everything published on every client, in order. */
        List<Published> published() {
            List<Published> all = new ArrayList<>();
            clients.forEach(c -> all.addAll(c.published));
            return all;
        }
    }

    final Factory factory;
    final Events events;
    final String node;
    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<String> subscribed = new CopyOnWriteArrayList<>();
    volatile Connect connect;
    volatile boolean closed;

    private ScriptedClient(Factory factory, String node, Events events) {
        this.factory = factory;
        this.node = node;
        this.events = events;
    }

    @Override
    public void connect(Connect c, Completion done) {
        connect = c;
        done.done(factory.down.contains(node)
                ? new java.io.IOException("x", new java.net.ConnectException("refused")) : factory.connectFailure);
    }

    @Override
    public synchronized void publish(String topic, byte[] payload, int qos, boolean retained, Completion done)
            throws Exception {
        if (closed) {
            throw new IllegalStateException("not connected");
        }
        if (unacknowledged() >= factory.window) {
            throw new Busy();
        }
        Published p = new Published(topic, new String(payload, java.nio.charset.StandardCharsets.UTF_8), qos,
                retained, done);
        published.add(p);
        if (factory.autoAck || qos == 0) {
            acked.add(p);
            done.done(null);
        }
    }

    private final List<Published> acked = new CopyOnWriteArrayList<>();

    synchronized int unacknowledged() {
        return published.size() - acked.size();
    }

    /** The broker acknowledges everything outstanding, in order. */
    synchronized void ackAll() {
        for (Published p : published) {
            if (!acked.contains(p)) {
                acked.add(p);
                p.done().done(null);
            }
        }
    }

    /** The network goes: the client says so, as Paho does. */
    void lose() {
        closed = true;
        events.connectionLost(new java.io.IOException("connection reset"));
    }

    @Override
    public void subscribe(List<String> filters, Completion done) {
        subscribed.addAll(filters);
        done.done(null);
    }

    @Override
    public void close() {
        closed = true;
    }
}
