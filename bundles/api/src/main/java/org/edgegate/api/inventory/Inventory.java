package org.edgegate.api.inventory;

import java.util.List;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's services as they are registered now, bound once for every reader that shows all of them
 * (the {@code /metrics} servlet, the dashboard) instead of each binding the same lists. Each list is a
 * snapshot in service order (ranking, then registration), never null; read it again for a fresh one.
 */
@ProviderType
public interface Inventory {
    /** Every component that reports its health ({@code gw:status}). */
    List<Monitored> monitored();

    List<Sensor> sensors();

    List<Camera> cameras();

    /** Transport endpoints: ZeroMQ endpoints and MQTT brokers ({@link Endpoint#kind()} tells them apart). */
    List<Endpoint> endpoints();

    /** The shared state; null while its bundle is not running. */
    StateService state();
}
