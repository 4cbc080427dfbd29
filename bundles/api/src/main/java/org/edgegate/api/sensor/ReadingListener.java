package org.edgegate.api.sensor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that receives every reading of every sensor (or of the sensors named in the
 * optional service property {@value #SENSOR_ID}, String or String[]).
 *
 * <p>Called on the sensor's reader thread: return quickly and never block (queue the work, drop
 * when full). An exception is logged and does not stop the reader.
 */
@ConsumerType
public interface ReadingListener {
    String SENSOR_ID = "edgegate.sensor.id";

    void readingReceived(Reading reading);
}
