package org.edgegate.mqtt.internal;

import java.util.List;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@link BrokerClient} on Eclipse Paho's {@link MqttAsyncClient}: memory persistence (the bridge keeps its own
 * journal), clean sessions, no automatic reconnect (the bridge reconnects with its own back-off), and a large
 * in-flight window. One client talks to one node: {@link BrokerConnection} picks the node (Paho's own
 * {@code setServerURIs} starts every connect at the first URI and tries the whole list inside one attempt).
 */
final class PahoClient implements BrokerClient {
    static final Factory FACTORY = PahoClient::new;

    private final MqttAsyncClient client;

    private PahoClient(MqttSettings settings, String node, Events events) throws MqttException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            // Paho finds its network modules with a ServiceLoader: give it its own class loader inside OSGi
            Thread.currentThread().setContextClassLoader(MqttAsyncClient.class.getClassLoader());
            client = new MqttAsyncClient(node, settings.clientId(), new MemoryPersistence());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                events.connectionLost(readable(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                events.messageArrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // completions arrive through each publish's listener
            }
        });
    }

    @Override
    public void connect(Connect connect, Completion done) throws Exception {
        MqttSettings s = connect.settings();
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        // above the bridge's own window, which also counts QoS 0: Paho's count may lag the acknowledgements
        o.setMaxInflight(Math.min(65535, s.maxInflight() + s.maxInflight() / 10 + 16));
        o.setKeepAliveInterval(s.keepAlive());
        o.setConnectionTimeout(10);
        if (!s.username().isEmpty()) {
            o.setUserName(s.username());
        }
        if (s.password().length > 0) {
            o.setPassword(s.password());
        }
        if (s.tls()) {
            o.setSocketFactory(Tls.socketFactory(s.caFile(), s.certFile(), s.keyFile()));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        o.setWill(connect.willTopic(), connect.willPayload(), 1, true);
        client.connect(o, null, listener(done));
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retained, Completion done) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        try {
            client.publish(topic, m, null, listener(done));
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                throw new Busy();
            }
            throw e;
        }
    }

    @Override
    public void subscribe(List<String> filters, Completion done) throws Exception {
        // QoS 0: commands and configuration requests are worth nothing after a reconnect (clean session), and a
        // QoS 1 subscription costs a clustered broker a replicated consumer per filter and gateway (NATS: a
        // JetStream consumer, deleted on every reconnect: a node's loss then stalls the reconnect)
        int[] qos = new int[filters.size()];
        client.subscribe(filters.toArray(String[]::new), qos, null, listener(done));
    }

    private static IMqttActionListener listener(Completion done) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.done(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                done.done(readable(failure == null ? new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION)
                        : failure));
            }
        };
    }

    /** Paho's reason codes as sentences; network causes (unknown host, TLS, refused) stay as the cause. */
    static Throwable readable(Throwable t) {
        if (!(t instanceof MqttException m) || m.getCause() != null) {
            return t;
        }
        String why = switch (m.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    "the broker refused the user name or password (not authorized)";
            case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "the broker refused the client id";
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "the broker is unavailable";
            case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "timed out waiting for the broker";
            case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
            default -> m.getMessage() + " (Paho reason " + m.getReasonCode() + ")";
        };
        return new java.io.IOException(why, m);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                // disconnect(quiesce) completes once DISCONNECT is sent; disconnectForcibly would wait out its
                // whole timeout for a reply MQTT 3.1.1 never sends (0.5 s per broker stopped)
                try {
                    client.disconnect(200).waitForCompletion(1_000);
                } catch (MqttException notInTime) {
                    client.disconnectForcibly(0, 100, false);
                }
            }
        } catch (MqttException | RuntimeException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing more to release
        }
    }
}
