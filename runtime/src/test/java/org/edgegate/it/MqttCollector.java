package org.edgegate.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A test subscriber on Eclipse Paho: keeps every message it receives (topic, payload, retained flag, arrival time),
 * reconnecting by itself through an outage. A durable one ({@code cleanSession} false) has the broker keep its
 * QoS 1 messages while it is away.
 */
public final class MqttCollector implements AutoCloseable {
    /** A message as received; {@code qos}: as delivered, the lower of the publisher's and the subscription's. */
    public record Message(String topic, byte[] payload, boolean retained, int qos, long nanos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The SUBACK code of a refused subscription (MQTT 3.1.1). */
    static final int REFUSED = 0x80;

    private final MqttClient client;
    private final int qos;
    private final int[] granted;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    public MqttCollector(String uri, String clientId, boolean durable, String... filters) throws MqttException {
        this(uri, clientId, durable, 1, filters);
    }

    /** {@code qos} of every subscription: 1 to be sent what was published at QoS 1 while away (durable). */
    public MqttCollector(String uri, String clientId, boolean durable, int qos, String... filters) throws MqttException {
        this.qos = qos;
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) { // a broker that lost the session (no persistence) has lost the subscription
                    // not on the callback thread: a blocking call there can stall the client
                    Thread t = new Thread(() -> {
                        try {
                            client.subscribe(filters, qos(filters.length, qos));
                        } catch (MqttException e) {
                            // the next reconnect tries again
                        }
                    }, "collector-resubscribe");
                    t.setDaemon(true);
                    t.start();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                messages.add(new Message(topic, message.getPayload(), message.isRetained(), message.getQos(),
                        System.nanoTime()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!durable);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        o.setMaxInflight(1000);
        client.connect(o);
        granted = qos(filters.length, qos);
        client.subscribe(filters, granted); // Paho writes the SUBACK's codes into the array (throws for one filter only)
    }

    private static int[] qos(int n, int qos) {
        int[] q = new int[n];
        java.util.Arrays.fill(q, qos);
        return q;
    }

    /** Whether the broker refused a subscription (SUBACK 0x80): NATS does when it cannot create its consumer. */
    public boolean refused() {
        return java.util.Arrays.stream(granted).anyMatch(g -> g == REFUSED);
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<Message> on(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    public List<Message> matching(Predicate<Message> p) {
        return messages.stream().filter(p).toList();
    }

    public void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Subscribes a fresh client to {@code topics} and returns the retained messages it is given: after a marker
     * it publishes itself has come back, so the answer is complete without waiting for a timeout.
     * <p>
     * At QoS 0, marker included: a QoS 1 subscription is, on a clustered broker, a replicated consumer to create
     * (NATS: a JetStream consumer), which fails while the cluster elects the leaders of a lost node; NATS then
     * refuses that filter (SUBACK 0x80) and sends none of its retained messages, or the marker never comes. QoS 0
     * needs none: the retained messages come from the node's own copy. A refused subscription, or a marker not
     * back (QoS 0 may lose it), is tried again with a fresh client until the deadline.
     */
    public static List<Message> retained(String uri, String... topics) throws MqttException {
        long deadline = System.nanoTime() + RETAINED_TIMEOUT.toNanos();
        List<String> failures = new java.util.ArrayList<>();
        while (true) {
            String marker = "edgegate-it/marker/" + System.nanoTime();
            String[] filters = java.util.Arrays.copyOf(topics, topics.length + 1);
            filters[topics.length] = marker;
            try (MqttCollector c = new MqttCollector(uri, "retained-" + System.nanoTime(), false, 0, filters)) {
                if (c.refused()) {
                    failures.add("subscription refused");
                } else {
                    long until = Math.min(deadline, System.nanoTime() + MARKER_WAIT.toNanos());
                    long[] next = { 0 };
                    GatewayTestSupport.await("the marker", RETAINED_TIMEOUT, () -> {
                        if (!c.on(marker).isEmpty() || System.nanoTime() - until > 0) {
                            return true;
                        }
                        if (System.nanoTime() - next[0] > 0) { // again every second: QoS 0 may drop one
                            next[0] = System.nanoTime() + 1_000_000_000L;
                            try {
                                c.publish(marker, "x", false);
                            } catch (MqttException e) {
                                // the next round publishes it again
                            }
                        }
                        return false;
                    });
                    if (!c.on(marker).isEmpty()) {
                        if (!failures.isEmpty()) {
                            System.out.println("MqttCollector: retained of " + List.of(topics) + " read after "
                                    + failures);
                        }
                        return c.matching(m -> m.retained() && !m.topic().equals(marker));
                    }
                    failures.add("marker not back");
                }
            } catch (MqttException e) {
                failures.add(e.toString());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no retained messages of " + List.of(topics) + " from " + uri + " within "
                        + RETAINED_TIMEOUT + ": " + failures);
            }
            try {
                Thread.sleep(500); // a back-off between attempts (a refused connect comes back at once), no condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static final Duration RETAINED_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MARKER_WAIT = Duration.ofSeconds(10);

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing more to release
        }
    }
}
