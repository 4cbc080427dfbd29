package org.edgegate.zmq.internal;

import org.edgegate.kernel.ConnectorLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured ZeroMQ endpoint (factory PID {@value #PID}). It listens, through the whiteboard services
 * of the API, only to what its configuration carries, hands each item to its {@link EndpointWorker}'s
 * bounded outbox, and never does socket work on the caller's thread. A wrong configuration leaves it
 * registered as FAILED with the reason, so {@code gw:status} shows what to fix.
 */
@Component(name = ZmqEndpoint.PID, configurationPid = ZmqEndpoint.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true,
        service = { Endpoint.class, Monitored.class })
@Designate(ocd = EndpointConfiguration.class, factory = true)
public class ZmqEndpoint implements Endpoint {
    static final String PID = "org.edgegate.zmq.endpoint";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StateService state;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private String id = "";
    private String mode = "";
    private String address = "";
    private EndpointWorker worker;
    private Health failure;

    @Activate
    void activate(BundleContext context, EndpointConfiguration configuration, Map<String, Object> properties) {
        id = text(properties.get("id"), text(properties.get("service.pid"), "?"));
        id = Ids.valid(id) ? id : Ids.quote(id); // a refused id is shown shortened (health, logs, labels)
        mode = text(properties.get("mode"), "native");
        address = text(properties.get("address"), "");
        EndpointConfig config;
        try {
            config = EndpointConfig.parse(configuration, properties, CurveKeys.etc(context::getProperty));
            mode = config.mode().key();
            address = config.address();
            worker = new EndpointWorker(config, () -> state, ConnectorLog.of(log::info, log::warn, log::debug));
        } catch (IllegalArgumentException | IOException e) {
            failure = Health.of(HealthState.FAILED, e.getMessage());
            log.error("endpoint {} not started: {}", id, e.getMessage());
            return;
        }
        worker.start();
        listen(context, config, worker);
    }

    /** Registers the listeners this endpoint's configuration needs, and no others. */
    private void listen(BundleContext context, EndpointConfig config, EndpointWorker worker) {
        if (config.carriesReadings()) {
            registrations.add(context.registerService(ReadingListener.class, new Readings(config, worker.outbox()),
                    new Hashtable<>(Map.of(Delivery.PROPERTY, Delivery.DIRECT)))); // offers only: called directly
        }
        if (config.carriesFrames()) {
            Hashtable<String, Object> props = new Hashtable<>();
            if (!config.raw()) {
                props.put(Delivery.PROPERTY, Delivery.DIRECT); // takes the JPEG only (raw ones decode)
            }
            if (!config.cameras().isEmpty()) {
                props.put(FrameListener.CAMERA_ID, config.cameras().toArray(String[]::new));
            }
            registrations.add(context.registerService(FrameListener.class, new Frames(config, worker), props));
        }
        List<String> prefixes = config.statePrefixes();
        if (prefixes != null) {
            Hashtable<String, Object> props = new Hashtable<>(Map.of(Delivery.PROPERTY, Delivery.DIRECT));
            if (!prefixes.contains("")) {
                props.put(StateListener.PREFIX, prefixes.toArray(String[]::new));
            }
            registrations.add(context.registerService(StateListener.class,
                    new StateChanges(config, worker.outbox()), props));
        }
    }

    // Named classes, not lambdas: gw:cameras and logs show listeners by class name.

    private record Readings(EndpointConfig config, Outbox outbox) implements ReadingListener {
        @Override
        public void readingReceived(Reading r) {
            if (config.carriesTopic("sensor/" + r.sensorId())) {
                outbox.offerEvent(r);
            }
        }
    }

    private record Frames(EndpointConfig config, EndpointWorker worker) implements FrameListener {
        @Override
        public void frameReceived(Frame f) {
            if (config.carriesCamera(f.cameraId()) && config.carriesTopic("camera/" + f.cameraId())) {
                worker.offerFrame(f);
            }
        }
    }

    private record StateChanges(EndpointConfig config, Outbox outbox) implements StateListener {
        @Override
        public void stateChanged(StateChange c) {
            if (config.carriesTopic("state/" + c.key())) {
                outbox.offerEvent(c);
            }
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        registrations.clear();
        if (worker != null) {
            worker.stop();
            worker = null;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        EndpointWorker w = worker;
        return w != null ? w.health() : failure != null ? failure : Health.of(HealthState.STOPPED, "");
    }

    @Override
    public EndpointStatistics statistics() {
        EndpointWorker w = worker;
        return w != null ? w.statistics() : new EndpointStatistics(0, 0, 0, failure == null ? "" : failure.reason());
    }

    /** Bytes handed to ZeroMQ so far, for gw:endpoints. */
    long bytesSent() {
        EndpointWorker w = worker;
        return w == null ? 0 : w.bytesSent();
    }

    private static String text(Object value, String fallback) {
        if (value instanceof String[] a) {
            value = a.length > 0 ? a[0] : null;
        }
        return value == null || String.valueOf(value).isBlank() ? fallback : String.valueOf(value).trim();
    }
}
