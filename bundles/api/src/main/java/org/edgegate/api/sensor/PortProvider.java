package org.edgegate.api.sensor;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that opens ports of one URL scheme, named in the service property
 * {@value #SCHEME}: {@code serial} for device paths ({@code /dev/ttyUSB0}, {@code COM3}),
 * {@code socket} for {@code socket://host:port}, {@code sim} for {@code sim:th}. A port without a
 * scheme is a {@code serial} port.
 */
@ConsumerType
public interface PortProvider {
    String SCHEME = "edgegate.port.scheme";

    /**
     * Opens the port.
     *
     * @throws IOException when the device is absent or busy: the caller retries with back-off
     * @throws IllegalArgumentException when the port URL itself is wrong: the caller gives up
     */
    PortConnection open(String port, PortSettings settings) throws IOException;

    /** Ports this provider can see right now, for {@code gw:ports}; may be empty. */
    List<PortDescription> ports();

    /** A port found on the system: the URL to configure, and what it is. */
    record PortDescription(String port, String description, String alias) {
    }
}
