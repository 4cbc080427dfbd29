package org.edgegate.serial.internal;

import java.util.Map;

import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.ReadingListeners;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The {@link ReadingListener} whiteboard of this bundle's sensors (the kernel's {@link ReadingListeners}):
 * direct listeners are called on the reader's thread, the others on pooled threads with at most
 * {@value #DEPTH} readings waiting per sensor, so a slow listener skips the oldest and never slows a sensor.
 */
@Component(service = ReadingDispatcher.class)
public class ReadingDispatcher {
    static final int DEPTH = 1024;

    @Reference(service = LoggerFactory.class)
    private volatile Logger log;

    private final ReadingListeners listeners = new ReadingListeners("edgegate-serial-listener", DEPTH,
            ConnectorLog.of((f, a) -> log.info(f, a), (f, a) -> log.warn(f, a),
                    (f, a) -> log.debug(f, a)));

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ReadingListener listener, Map<String, Object> props) {
        listeners.add(listener, props);
    }

    void updatedListener(ReadingListener listener, Map<String, Object> props) {
        listeners.update(listener, props);
    }

    void removeListener(ReadingListener listener) {
        listeners.remove(listener);
    }

    void publish(Reading reading) {
        listeners.publish(reading);
    }

    @Deactivate
    void deactivate() {
        listeners.close();
    }
}
