package org.edgegate.api.sensor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that receives every reading of every sensor (or of the sensors named in the
 * optional service property {@value #SENSOR_ID}, String or String[]).
 *
 * <p>Called off the sensors' reader threads, one reading at a time per listener, each sensor's readings
 * in order. A listener slower than a sensor skips readings: at most 1,024 readings per sensor wait for
 * it (the oldest give way), so it never slows a sensor nor grows a queue without bound. An exception is
 * logged and counted. A listener that only queues the reading may ask to be called on the reader's thread
 * instead ({@link org.edgegate.api.delivery.Delivery}).
 */
@ConsumerType
public interface ReadingListener {
    String SENSOR_ID = "edgegate.sensor.id";

    void readingReceived(Reading reading);
}
