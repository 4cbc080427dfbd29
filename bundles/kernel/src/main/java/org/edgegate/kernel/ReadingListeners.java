package org.edgegate.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;

/**
 * The {@link ReadingListener} whiteboard of one bundle's sensors (serial, modbus) on a latest-value
 * dispatcher: each listener gets the readings of the sensors named in its {@link ReadingListener#SENSOR_ID}
 * (all when absent), on the publisher's thread when it asks for {@link Delivery#DIRECT} delivery, else on a
 * pooled thread with at most {@code depth} readings waiting per sensor (a burst of lines arrives whole; a
 * slower listener skips the oldest and never slows a sensor). The bundle's DS component forwards its
 * bind/updated/unbind calls here and calls {@link #close} on deactivate.
 */
public final class ReadingListeners {
    private final ExecutorService pool;
    private final LatestValueDispatcher<String, Reading> dispatcher;
    private final Map<ReadingListener, LatestValueDispatcher<String, Reading>.Subscription> subscriptions =
            new ConcurrentHashMap<>();

    /** {@code threadPrefix} names the delivery threads (created on demand, ended after 10 s idle). */
    public ReadingListeners(String threadPrefix, int depth, ConnectorLog log) {
        pool = Threads.pool(threadPrefix, 10);
        dispatcher = new LatestValueDispatcher<>(pool, Reading::sensorId, depth, log);
    }

    public void add(ReadingListener listener, Map<String, ?> props) {
        List<String> ids = ServiceProperties.strings(props.get(ReadingListener.SENSOR_ID));
        subscriptions.put(listener, dispatcher.subscribe("reading listener " + listener.getClass().getName(),
                id -> ids.isEmpty() || ids.contains(id), listener::readingReceived, Delivery.isDirect(props)));
    }

    public void update(ReadingListener listener, Map<String, ?> props) {
        remove(listener);
        add(listener, props);
    }

    public void remove(ReadingListener listener) {
        var s = subscriptions.remove(listener);
        if (s != null) {
            s.cancel();
        }
    }

    /** Never blocks on a pooled listener; direct ones run here. */
    public void publish(Reading reading) {
        dispatcher.publish(reading);
    }

    public List<LatestValueDispatcher<String, Reading>.Subscription> subscriptions() {
        return dispatcher.subscriptions();
    }

    /** Cancels every subscription and waits up to two seconds for deliveries under way. */
    public void close() {
        dispatcher.close();
        Threads.shutdown(pool, 2000);
    }
}
