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
    public record Message(String topic, byte[] payload, boolean retained, long nanos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    public MqttCollector(String uri, String clientId, boolean durable, String... filters) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) { // a broker that lost the session (no persistence) has lost the subscription
                    // not on the callback thread: a blocking call there can stall the client
                    Thread t = new Thread(() -> {
                        try {
                            client.subscribe(filters, qos(filters.length));
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
                messages.add(new Message(topic, message.getPayload(), message.isRetained(), System.nanoTime()));
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
        client.subscribe(filters, qos(filters.length));
    }

    private static int[] qos(int n) {
        int[] q = new int[n];
        java.util.Arrays.fill(q, 1);
        return q;
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
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Subscribes a fresh client to {@code topics} and returns the retained messages it is given: after a marker
     * it publishes itself has come back, so the answer is complete without waiting for a timeout.
     */
    public static List<Message> retained(String uri, String... topics) throws MqttException {
        String marker = "edgegate-it/marker/" + System.nanoTime();
        String[] filters = java.util.Arrays.copyOf(topics, topics.length + 1);
        filters[topics.length] = marker;
        try (MqttCollector c = new MqttCollector(uri, "retained-" + System.nanoTime(), false, filters)) {
            c.publish(marker, "x", false);
            GatewayTestSupport.await("the marker " + marker, Duration.ofSeconds(20), () -> !c.on(marker).isEmpty());
            return c.matching(m -> m.retained() && !m.topic().equals(marker));
        }
    }

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
