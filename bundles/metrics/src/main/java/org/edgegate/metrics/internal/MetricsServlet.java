package org.edgegate.metrics.internal;

import java.io.IOException;

import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.kernel.ConsoleLogin;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /metrics} on the HTTP whiteboard (Jakarta Servlet, Felix HTTP Jetty 12): everything the gateway
 * counts, read from its services at each scrape and written in the Prometheus text format 0.0.4. Scrapers
 * authenticate with the Web Console's user and password (read from its configuration at each request, so
 * a changed password applies at once) or the configured bearer token; by default only from loopback.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {
                "osgi.http.whiteboard.servlet.pattern=" + MetricsServlet.PATH,
                "osgi.http.whiteboard.servlet.name=edgegate-metrics" })
@Designate(ocd = MetricsConfig.class)
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String PID = "org.edgegate.metrics";
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Reference(service = LoggerFactory.class)
    private Logger log;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    private final LongAdder stateChanges = new LongAdder();
    private final LongAdder scrapes = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private volatile MetricsConfig config;
    private ServiceRegistration<StateListener> stateListener;

    @Activate
    void activate(BundleContext context, MetricsConfig c) {
        config = c;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StateListener.PREFIX, "");
        stateListener = context.registerService(StateListener.class, change -> stateChanges.increment(), props);
        log.info("metrics: serving " + PATH + (c.allow_remote() ? " to any address" : " to loopback only")
                + (c.require_login() ? ", login required" : ", without login"));
    }

    @Modified
    void modified(MetricsConfig c) {
        config = c;
    }

    @Deactivate
    void deactivate() {
        try {
            stateListener.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MetricsConfig c = config;
        if (!c.allow_remote() && !ConsoleLogin.loopback(req.getRemoteAddr())) {
            refused.increment();
            resp.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "metrics are served to this machine only (org.edgegate.metrics allow.remote)");
            return;
        }
        if (c.require_login() && !authorized(req.getHeader("Authorization"), c)) {
            refused.increment();
            resp.setHeader("WWW-Authenticate", "Basic realm=\"EdgeGate metrics\", charset=\"UTF-8\"");
            resp.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        scrapes.increment();
        String body = scrape();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** Everything, as one text: the gateway's metrics, the JVM's, then this servlet's own. */
    String scrape() {
        long started = System.nanoTime();
        Registry r = new Registry();
        long[] errors = new long[1];
        GatewayMetrics.collect(r, new GatewayMetrics.Sources(monitored, sensors, cameras, endpoints, state,
                stateChanges.sum()), errors);
        JvmMetrics.collect(r);
        readErrors.add(errors[0]);
        r.counter("edgegate_metrics_scrapes_total", "Scrapes answered").add(scrapes.sum());
        r.counter("edgegate_metrics_refused_total", "Requests refused (address or login)").add(refused.sum());
        r.counter("edgegate_metrics_read_errors_total", "Services that failed while being read for a scrape")
                .add(readErrors.sum());
        r.gauge("edgegate_metrics_scrape_duration_seconds", "Time to read this scrape's values")
                .add((System.nanoTime() - started) / 1e9);
        return r.text();
    }

    private boolean authorized(String authorization, MetricsConfig c) {
        return ConsoleLogin.bearer(authorization, c._bearer_token()) || consoleLogin().acceptsBasic(authorization);
    }

    /** The Web Console's login as configured now (clear or hashed password), or its defaults. */
    private ConsoleLogin consoleLogin() {
        ConfigurationAdmin cm = configurationAdmin;
        if (cm == null) {
            return ConsoleLogin.DEFAULT;
        }
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + ConsoleLogin.PID + ")");
            return found == null || found.length == 0 ? ConsoleLogin.DEFAULT : ConsoleLogin.of(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("metrics: cannot read the Web Console's login ({}), refusing Basic logins", e.toString());
            return new ConsoleLogin("", "{unavailable}", ConsoleLogin.DEFAULT.realm());
        }
    }

}
