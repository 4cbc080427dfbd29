package org.edgegate.mqtt.internal;

import java.util.List;

/**
 * What the bridge needs of an MQTT 3.1.1 client, so the client library (today Eclipse Paho mqttv3) can be
 * replaced without touching the bridge. Calls never block on the network; outcomes arrive through callbacks on
 * the client's own threads.
 */
interface BrokerClient extends AutoCloseable {

    /** How to connect: the broker settings plus the Last Will ({@code offline}, retained, on the status topic). */
    record Connect(MqttSettings settings, String willTopic, byte[] willPayload) {
    }

    /** Outcome of an operation: {@code failure} null on success. */
    interface Completion {
        void done(Throwable failure);
    }

    /** Events of a connected client. */
    interface Events {
        void connectionLost(Throwable cause);

        void messageArrived(String topic, byte[] payload);
    }

    void connect(Connect connect, Completion done) throws Exception;

    /**
     * Hands a message to the client. QoS 1 completes when the broker acknowledged it, QoS 0 when it was written.
     *
     * @throws Busy if the client's window is full (try again later)
     * @throws Exception if the client cannot take it (not connected)
     */
    void publish(String topic, byte[] payload, int qos, boolean retained, Completion done) throws Exception;

    void subscribe(List<String> filters, Completion done) throws Exception;

    /** Disconnects (briefly waiting for a clean DISCONNECT) and releases threads and sockets. */
    @Override
    void close();

    /** Thrown by {@link #publish} when the client's own in-flight window is full: nothing was sent. */
    final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("the client's in-flight window is full", null, false, false);
        }
    }

    /** Creates a client for one broker connection to one node of the broker ({@code node}: one of its URIs). */
    interface Factory {
        BrokerClient create(MqttSettings settings, String node, Events events) throws Exception;
    }
}
