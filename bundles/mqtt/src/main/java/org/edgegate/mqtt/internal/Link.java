package org.edgegate.mqtt.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open connection to the broker: its client, its in-flight window and, once lost, why. The connector
 * thread opens and closes it; the bridge's sender publishes on it; the client's callbacks mark it lost.
 * Callbacks of an older link only touch that link.
 */
final class Link {
    final BrokerClient client;
    final AtomicInteger inflight = new AtomicInteger();
    private final Runnable onLost;
    private volatile Throwable lost;
    /** Set once the connector works this link: only then does a loss wake it (a stray wake-up skips a back-off). */
    volatile boolean attached;

    Link(BrokerClient.Factory factory, MqttSettings settings, String node,
            java.util.function.BiConsumer<String, byte[]> incoming, Runnable onLost) throws Exception {
        this.onLost = onLost;
        this.client = factory.create(settings, node, new BrokerClient.Events() {
            @Override
            public void connectionLost(Throwable cause) {
                lose(cause);
            }

            @Override
            public void messageArrived(String topic, byte[] payload) {
                incoming.accept(topic, payload);
            }
        });
    }

    /** Marks the link lost (first cause wins) and wakes the connector working it. */
    void lose(Throwable cause) {
        boolean first = false;
        synchronized (this) {
            if (lost == null) {
                lost = cause == null ? new java.io.IOException("connection lost") : cause;
                first = true;
            }
        }
        if (first && attached) {
            onLost.run();
        }
    }

    /** The connector is done with it: later callbacks change nothing. */
    void retire() {
        attached = false;
        lose(new java.io.IOException("closed"));
    }

    Throwable lost() {
        return lost;
    }

    boolean usable() {
        return lost == null;
    }
}
