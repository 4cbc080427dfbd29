package org.edgegate.metrics.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.health.Metered;
import org.edgegate.api.inventory.Inventory;
import org.edgegate.api.state.StateListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * log in through the gateway's login context ({@value #LOGIN_CONTEXT}, the http bundle's: the Web Console's
 * user and password, or this servlet's bearer token); by default only from loopback. The servlet registers
 * itself, because whether it selects that context follows {@code require.login}.
 */
@Component(service = {}, immediate = true, configurationPid = MetricsServlet.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsConfig.class)
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String PID = "org.edgegate.metrics";
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The name of the gateway's login context (the http bundle's {@code LoginContext}). */
    static final String LOGIN_CONTEXT = "edgegate";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    /** The gateway's sensors, cameras, endpoints, monitored parts and state (bundles/http serves it). */
    @Reference
    private Inventory inventory;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Metered> metered;

    private final LongAdder stateChanges = new LongAdder();
    private final LongAdder scrapes = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private volatile MetricsConfig config;
    private ServiceRegistration<StateListener> stateListener;
    private ServiceRegistration<Servlet> servlet;

    @Activate
    void activate(BundleContext context, MetricsConfig c) {
        config = c;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StateListener.PREFIX, "");
        props.put(Delivery.PROPERTY, Delivery.DIRECT); // a counter: no thread woken per change
        stateListener = context.registerService(StateListener.class, change -> stateChanges.increment(), props);
        servlet = context.registerService(Servlet.class, this, whiteboard(c));
        log.info("metrics: serving {} {}, {}", PATH, c.allow_remote() ? "to any address" : "to loopback only",
                c.require_login() ? "login required" : "without login");
    }

    @Modified
    void modified(MetricsConfig c) {
        boolean loginChanged = c.require_login() != config.require_login();
        config = c;
        if (loginChanged) {
            servlet.setProperties(whiteboard(c));
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : new ServiceRegistration<?>[] { servlet, stateListener }) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    /** The servlet's whiteboard properties: in the login context unless no login is required. */
    static Dictionary<String, Object> whiteboard(MetricsConfig c) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", PATH);
        props.put("osgi.http.whiteboard.servlet.name", "edgegate-metrics");
        if (c.require_login()) {
            props.put("osgi.http.whiteboard.context.select", "(osgi.http.whiteboard.context.name=" + LOGIN_CONTEXT + ")");
        }
        return props;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MetricsConfig c = config;
        if (!c.allow_remote() && !loopback(req.getRemoteAddr())) {
            refused.increment();
            resp.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "metrics are served to this machine only (org.edgegate.metrics allow.remote)");
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
        Inventory i = inventory;
        GatewayMetrics.collect(r, new GatewayMetrics.Sources(i.monitored(), i.sensors(), i.cameras(), i.endpoints(),
                i.state(), stateChanges.sum()), errors);
        MeteredMetrics.collect(r, metered, errors);
        JvmMetrics.collect(r);
        readErrors.add(errors[0]);
        r.counter("edgegate_metrics_scrapes_total", "Scrapes answered").add(scrapes.sum());
        r.counter("edgegate_metrics_refused_total", "Requests refused for their address (wrong logins: the login context)")
                .add(refused.sum());
        r.counter("edgegate_metrics_read_errors_total", "Services that failed while being read for a scrape")
                .add(readErrors.sum());
        r.gauge("edgegate_metrics_scrape_duration_seconds", "Time to read this scrape's values")
                .add((System.nanoTime() - started) / 1e9);
        return r.text();
    }

    /** Whether a request's remote address is a loopback one (127.0.0.0/8, ::1); names are never resolved. */
    static boolean loopback(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isEmpty()) {
            return false;
        }
        String a = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
        if (!a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
            return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
