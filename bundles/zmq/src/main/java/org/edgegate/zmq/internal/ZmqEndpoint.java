package org.edgegate.zmq.internal;

import org.edgegate.config.GatewayPaths;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.EndpointReport;
import org.edgegate.kernel.ServiceProperties;
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
 * One configured ZeroMQ endpoint (factory PID {@value EndpointConfig#PID}). It listens, through the whiteboard services
 * of the API, only to what its configuration carries, and hands each item to its {@link EndpointWorker}
 * (which sends it on the caller's thread when its PUB socket is free, else queues it in its bounded outbox;
 * never waiting either way). A wrong configuration leaves it
 * registered as FAILED with the reason, so {@code gw:status} shows what to fix.
 */
@Component(name = EndpointConfig.PID, configurationPid = EndpointConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { Endpoint.class, Monitored.class })
@Designate(ocd = EndpointConfig.class, factory = true)
public class ZmqEndpoint implements Endpoint {

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
    void activate(BundleContext context, EndpointConfig configuration, Map<String, Object> properties) {
        id = text(properties.get("id"), text(properties.get("service.pid"), "?"));
        id = Ids.quote(id); // a refused id is shown shortened (health, logs, labels)
        mode = text(properties.get("mode"), "native");
        address = text(properties.get("address"), "");
        EndpointSettings settings;
        try {
            settings = EndpointSettings.parse(configuration, properties, GatewayPaths.etc(context::getProperty));
            mode = settings.mode().key();
            address = settings.address();
            worker = new EndpointWorker(settings, () -> state, ConnectorLog.of(log::info, log::warn, log::debug));
        } catch (IllegalArgumentException | IOException e) {
            failure = Health.of(HealthState.FAILED, e.getMessage());
            log.error("endpoint {} not started: {}", id, e.getMessage());
            return;
        }
        worker.start();
        listen(context, settings, worker);
    }

    /** Registers the listeners this endpoint's configuration needs, and no others. */
    private void listen(BundleContext context, EndpointSettings settings, EndpointWorker worker) {
        if (settings.carriesReadings()) {
            registrations.add(context.registerService(ReadingListener.class, new Readings(settings, worker),
                    new Hashtable<>(Map.of(Delivery.PROPERTY, Delivery.DIRECT)))); // offers only: called directly
        }
        if (settings.carriesFrames()) {
            Hashtable<String, Object> props = new Hashtable<>();
            if (!settings.raw()) {
                props.put(Delivery.PROPERTY, Delivery.DIRECT); // takes the JPEG only (raw ones decode)
            }
            if (!settings.cameras().isEmpty()) {
                props.put(FrameListener.CAMERA_ID, settings.cameras().toArray(String[]::new));
            }
            registrations.add(context.registerService(FrameListener.class, new Frames(settings, worker), props));
        }
        List<String> prefixes = settings.statePrefixes();
        if (prefixes != null) {
            Hashtable<String, Object> props = new Hashtable<>(Map.of(Delivery.PROPERTY, Delivery.DIRECT));
            if (!prefixes.contains("")) {
                props.put(StateListener.PREFIX, prefixes.toArray(String[]::new));
            }
            registrations.add(context.registerService(StateListener.class,
                    new StateChanges(settings, worker), props));
        }
    }

    // Named classes, not lambdas: gw:cameras and logs show listeners by class name.

    private record Readings(EndpointSettings settings, EndpointWorker worker) implements ReadingListener {
        @Override
        public void readingReceived(Reading r) {
            if (settings.carriesTopic("sensor/" + r.sensorId())) {
                worker.offerEvent(r);
            }
        }
    }

    private record Frames(EndpointSettings settings, EndpointWorker worker) implements FrameListener {
        @Override
        public void frameReceived(Frame f) {
            if (settings.carriesCamera(f.cameraId()) && settings.carriesTopic("camera/" + f.cameraId())) {
                worker.offerFrame(f);
            }
        }
    }

    private record StateChanges(EndpointSettings settings, EndpointWorker worker) implements StateListener {
        @Override
        public void stateChanged(StateChange c) {
            if (settings.carriesTopic("state/" + c.key())) {
                worker.offerEvent(c);
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
        return EndpointReport.health(worker, EndpointWorker::health, failure);
    }

    @Override
    public EndpointStatistics statistics() {
        return EndpointReport.statistics(worker, EndpointWorker::statistics, failure);
    }

    /** Bytes handed to ZeroMQ so far, for gw:endpoints. */
    long bytesSent() {
        EndpointWorker w = worker;
        return w == null ? 0 : w.bytesSent();
    }

    private static String text(Object value, String fallback) {
        return ServiceProperties.first(value, fallback);
    }
}
