package org.edgegate.serial.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.LatestValueDispatcher;
import org.edgegate.kernel.Threads;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Delivers readings to the {@link ReadingListener} whiteboard through the kernel's latest-value
 * dispatcher, off the sensors' reader threads: per listener at most {@value #DEPTH} readings wait per
 * sensor (a burst of lines arrives whole), so a slow listener skips the oldest and never slows a sensor.
 */
@Component(service = ReadingDispatcher.class)
public class ReadingDispatcher {
    static final int DEPTH = 1024;

    @Reference(service = LoggerFactory.class)
    private volatile Logger log;

    private final ExecutorService pool = Threads.pool("edgegate-serial-listener", 10);
    private final LatestValueDispatcher<String, Reading> dispatcher = new LatestValueDispatcher<>(pool,
            Reading::sensorId, DEPTH, ConnectorLog.of(m -> log.info(m), m -> log.warn(m), m -> log.debug(m)));
    private final Map<ReadingListener, LatestValueDispatcher<String, Reading>.Subscription> subscriptions =
            new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ReadingListener listener, Map<String, Object> props) {
        List<String> ids = sensorIds(props.get(ReadingListener.SENSOR_ID));
        subscriptions.put(listener, dispatcher.subscribe("reading listener " + listener.getClass().getName(),
                id -> ids.isEmpty() || ids.contains(id), listener::readingReceived));
    }

    void updatedListener(ReadingListener listener, Map<String, Object> props) {
        removeListener(listener);
        addListener(listener, props);
    }

    void removeListener(ReadingListener listener) {
        var s = subscriptions.remove(listener);
        if (s != null) {
            s.cancel();
        }
    }

    void publish(Reading reading) {
        dispatcher.publish(reading);
    }

    @Deactivate
    void deactivate() {
        dispatcher.close();
        Threads.shutdown(pool, 2000);
    }

    private static List<String> sensorIds(Object v) {
        if (v instanceof String[] a) {
            return List.of(a);
        } else if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return v == null ? List.of() : List.of(v.toString());
    }
}
