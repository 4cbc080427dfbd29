package org.edgegate.api.sensor;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open port. {@link #input()} blocks for at most a short time (so the reader can notice it is
 * being stopped); it signals a lost device by returning -1 or throwing an {@link IOException}.
 */
@ConsumerType
public interface PortConnection extends Closeable {
    InputStream input();

    OutputStream output();

    /** Closes the port and releases the device; safe to call twice. */
    @Override
    void close();
}
