package org.edgegate.mqtt.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@code bin/edgegate-fleet}'s connection to the broker: one clean session, every call bounded by the tool's
 * timeout, what arrives bounded ({@value FleetTool#MAX_MESSAGE} bytes a message, retained messages of
 * {@value FleetTool#MAX_GATEWAYS} gateways).
 * <p>
 * Its subscriptions are QoS 0: the tool is subscribed before it asks anything, and on a clustered broker a QoS 1
 * subscription is a replicated consumer to create (NATS: a JetStream consumer), which fails while the cluster
 * elects new leaders after losing a node: NATS then refuses the filter (SUBACK 0x80) and sends none of its
 * retained messages. A refused subscription, or a snapshot's marker not back, is tried again until the timeout.
 */
final class FleetSession implements AutoCloseable {
    /** The SUBACK code of a refused subscription (MQTT 3.1.1). */
    private static final int REFUSED = 0x80;
    /** A snapshot's marker not back within this is published again (QoS 0 may lose it). */
    private static final long MARKER_AGAIN_MILLIS = 2_000;

    interface Listener {
        void message(String topic, byte[] payload);
    }

    private final MqttClient client;
    private final long timeoutMillis;
    private final Map<String, byte[]> retained = new ConcurrentHashMap<>();
    private volatile Listener listener;

    private FleetSession(MqttClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connects to the first node of {@code broker} (a list of URIs, as {@code uri}) that answers. */
    static FleetSession open(String broker, String username, String passwordFile, long timeoutSeconds,
            PrintStream out) throws Exception {
        String[] uris = MqttSettings.checkUris(broker).toArray(String[]::new);
        MqttClient c = new MqttClient(uris[0], "edgegate-fleet-" + UUID.randomUUID().toString().substring(0, 12),
                new MemoryPersistence());
        FleetSession session = new FleetSession(c, timeoutSeconds * 1000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setServerURIs(uris);
        o.setCleanSession(true);
        o.setConnectionTimeout((int) Math.max(1, Math.min(30, timeoutSeconds)));
        if (!username.isEmpty()) {
            o.setUserName(username);
        }
        if (!passwordFile.isEmpty()) {
            List<String> lines = Files.readAllLines(Path.of(passwordFile), StandardCharsets.UTF_8);
            o.setPassword(lines.isEmpty() ? new char[0] : lines.get(0).strip().toCharArray());
        }
        c.setTimeToWait(session.timeoutMillis); // a publish the broker never acknowledges fails, not hangs
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                out.println("edgegate-fleet: connection lost: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                byte[] p = message.getPayload();
                if (p.length > FleetTool.MAX_MESSAGE) {
                    return; // not what a gateway sends
                }
                if (message.isRetained() && session.retained.size() < FleetTool.MAX_GATEWAYS * 4) {
                    session.retained.put(topic, p);
                }
                Listener l = session.listener;
                if (l != null) {
                    l.message(topic, p);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            c.connect(o);
        } catch (MqttException e) {
            c.close(true);
            throw e;
        }
        return session;
    }

    void listen(Listener l) {
        listener = l;
    }

    /** What was retained on the topics subscribed so far. */
    Map<String, byte[]> retained() {
        return retained;
    }

    /** Subscribes at QoS 0, again while the broker refuses (SUBACK 0x80), until the timeout. */
    void subscribe(String... filters) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            int[] qos = new int[filters.length];
            client.subscribe(filters, qos); // Paho writes the granted codes into qos
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < qos.length; i++) {
                if (qos[i] == REFUSED) {
                    refused.add(filters[i]);
                }
            }
            if (refused.isEmpty()) {
                return;
            }
            client.unsubscribe(filters);
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker refused the subscription to " + refused
                        + " (a clustered broker still electing leaders after losing a node?)");
            }
            Thread.sleep(500); // a back-off before asking again (NATS takes seconds to refuse; an ACL, none)
        }
    }

    /**
     * Subscribes and waits until the broker has sent what it retains on {@code filters}: a marker published after
     * the subscription came back, as the broker sends retained messages before anything newer.
     */
    void snapshot(String root, String... filters) throws Exception {
        String marker = root + "/.fleet-tool/" + UUID.randomUUID();
        CountDownLatch back = new CountDownLatch(1);
        listener = (topic, payload) -> {
            if (topic.equals(marker)) {
                back.countDown();
            }
        };
        String[] all = Arrays.copyOf(filters, filters.length + 1);
        all[filters.length] = marker;
        subscribe(all);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        do {
            client.publish(marker, new byte[] { '.' }, 0, false);
        } while (!back.await(Math.max(1, Math.min(MARKER_AGAIN_MILLIS, deadline - System.currentTimeMillis())),
                TimeUnit.MILLISECONDS) && System.currentTimeMillis() < deadline);
        listener = null;
        client.unsubscribe(marker);
        if (back.getCount() > 0) {
            throw new IllegalStateException("the broker did not echo a marker within " + timeoutMillis / 1000 + " s");
        }
    }

    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    /** Disconnects before it closes (Paho refuses to close a connected client). */
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
