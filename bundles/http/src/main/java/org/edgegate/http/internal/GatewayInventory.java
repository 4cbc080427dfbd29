package org.edgegate.http.internal;

import java.util.List;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.inventory.Inventory;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The one {@link Inventory}: the five service lists the metrics and dashboard servlets each bound before. It
 * lives in the http bundle because every feature with one of those servlets installs this bundle too.
 */
@Component(service = Inventory.class)
public class GatewayInventory implements Inventory {
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Monitored> monitored;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Sensor> sensors;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Camera> cameras;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Endpoint> endpoints;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StateService state;

    /** For DS. */
    public GatewayInventory() {
    }

    /** As DS would leave it bound to these services (tests). */
    GatewayInventory(List<Monitored> monitored, List<Sensor> sensors, List<Camera> cameras, List<Endpoint> endpoints,
            StateService state) {
        this.monitored = monitored;
        this.sensors = sensors;
        this.cameras = cameras;
        this.endpoints = endpoints;
        this.state = state;
    }

    @Override
    public List<Monitored> monitored() {
        return orEmpty(monitored);
    }

    @Override
    public List<Sensor> sensors() {
        return orEmpty(sensors);
    }

    @Override
    public List<Camera> cameras() {
        return orEmpty(cameras);
    }

    @Override
    public List<Endpoint> endpoints() {
        return orEmpty(endpoints);
    }

    @Override
    public StateService state() {
        return state;
    }

    /** DS sets a list before activation; null only outside DS or after deactivation. */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
