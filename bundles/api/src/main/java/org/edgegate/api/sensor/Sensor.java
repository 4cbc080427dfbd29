package org.edgegate.api.sensor;

import java.io.IOException;
import java.util.Optional;

import org.edgegate.api.health.Monitored;
import org.osgi.annotation.versioning.ProviderType;

/** A configured sensor, registered as a service while its configuration exists. */
@ProviderType
public interface Sensor extends Monitored {
    @Override
    default String kind() {
        return "sensor";
    }

    /** The configured port URL. */
    String port();

    SensorStatistics statistics();

    Optional<Reading> lastReading();

    /** Writes {@code text} and the sensor's terminator to the device. */
    void send(String text) throws IOException;
}
