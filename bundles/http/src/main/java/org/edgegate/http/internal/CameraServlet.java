package org.edgegate.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.kernel.ConsoleLogin;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@value #PATH}{@code <id>/stream.mjpg} and {@code <id>/snapshot.jpg} for every camera, registered on the
 * gateway's HTTP server through the (Jakarta) HTTP whiteboard. Every request logs in as to the Web Console
 * (HTTP Basic with the console's user and password, read from its configuration) or gives the configured
 * token; the realm is the console's, so a browser logged into the console shows the streams at once.
 */
@Component(service = { Servlet.class, Monitored.class }, configurationPid = CameraServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=" + CameraServlet.PATH + "*",
        "osgi.http.whiteboard.servlet.asyncSupported=true",
        "osgi.http.whiteboard.servlet.name=edgegate-cameras",
        "osgi.command.scope=gw", "osgi.command.function=streams" })
@Designate(ocd = HttpConfiguration.class)
public class CameraServlet extends HttpServlet implements Monitored {
    private static final long serialVersionUID = 1L;
    static final String PID = "org.edgegate.http";
    static final String PATH = "/edgegate/cameras/";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final List<Camera> cameras = new CopyOnWriteArrayList<>();

    private transient volatile Streams streams;
    private volatile HttpConfiguration config;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCamera(Camera camera) {
        cameras.add(camera);
    }

    /** A camera whose configuration is gone: its streams end (the client may come back for a new one). */
    void unbindCamera(Camera camera) {
        cameras.remove(camera);
        Streams s = streams;
        if (s != null) {
            s.closeCamera(camera.id());
        }
    }

    @Activate
    void activate(BundleContext context, HttpConfiguration config) {
        this.config = config;
        this.streams = new Streams(context);
    }

    @Modified
    void modified(HttpConfiguration config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        streams.close();
    }

    @Descriptor("list the MJPEG clients: camera, client address, fps cap, frames sent and skipped, last frame, since")
    public String streams() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s %-22s %6s %9s %9s %9s  %s%n",
                "CAMERA", "CLIENT", "FPS CAP", "SENT", "SKIPPED", "LAST", "SINCE"));
        List<StreamClient> all = streams.all();
        all.sort(Comparator.comparing((StreamClient c) -> c.cameraId).thenComparing(c -> c.since));
        for (StreamClient c : all) {
            b.append(String.format(Locale.ROOT, "%-12s %-22s %6s %9d %9d %9d  %s%n", c.cameraId, c.remote,
                    c.fpsCap > 0 ? String.format(Locale.ROOT, "%.1f", c.fpsCap) : "-", c.sent(), c.skipped(),
                    c.lastSequence(), c.since));
        }
        if (all.isEmpty()) {
            b.append("(no MJPEG clients; streams are at ").append(PATH).append("<camera id>/stream.mjpg)\n");
        }
        return b.append(health().reason()).append('\n').toString();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorized(req)) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"" + login().realm().replace("\"", "") + "\", charset=\"UTF-8\"");
            resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "log in as to the Web Console, or give the token");
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();   // /<id>/stream.mjpg
        int slash = path.lastIndexOf('/');
        String id = slash > 0 ? path.substring(1, slash) : "";
        String what = path.substring(slash + 1);
        Optional<Camera> camera = camera(id);
        if (camera.isEmpty() || !("stream.mjpg".equals(what) || "snapshot.jpg".equals(what))) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, camera.isEmpty() ? "no camera '" + id + "'"
                    : "no " + what + " (stream.mjpg or snapshot.jpg)");
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if ("snapshot.jpg".equals(what)) {
            snapshot(camera.get(), resp);
        } else {
            stream(camera.get(), req, resp);
        }
    }

    private static void snapshot(Camera camera, HttpServletResponse resp) throws IOException {
        Frame f = camera.snapshot();
        byte[] jpeg = f.jpeg();
        resp.setContentType("image/jpeg");
        resp.setContentLength(jpeg.length);
        resp.setHeader("X-Frame-Sequence", Long.toString(f.sequence()));
        resp.setHeader("X-Frame-Placeholder", Boolean.toString(f.isPlaceholder()));
        resp.getOutputStream().write(jpeg);
    }

    private void stream(Camera camera, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        double fps = 0;
        String fpsParameter = req.getParameter("fps");
        if (fpsParameter != null && !fpsParameter.isBlank()) {
            try {
                fps = Double.parseDouble(fpsParameter.trim());
            } catch (NumberFormatException e) {
                fps = -1;
            }
            if (!(fps > 0 && fps <= 1000)) {
                resp.sendError(HttpServletResponse.SC_BAD_REQUEST, "fps must be a number above 0, e.g. ?fps=5");
                return;
            }
        }
        resp.setContentType(Part.CONTENT_TYPE);
        AsyncContext async = req.startAsync();
        async.setTimeout(0);                    // streams until the client leaves (or the server's idle timeout)
        StreamClient client = new StreamClient(camera.id(), req.getRemoteAddr() + ":" + req.getRemotePort(), fps,
                async, resp.getOutputStream(), streams::remove);
        int max = config.maxStreams();
        if (!streams.add(client, max)) {
            resp.setHeader("Retry-After", "10");
            resp.setContentType("text/plain;charset=utf-8");
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            resp.getOutputStream().write(("too many streams (" + max + "): see maxStreams of " + PID + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            async.complete();
            return;
        }
        client.start();
        camera.latest().ifPresent(f -> client.offer(Part.of(f)));     // the newest picture at once
    }

    private boolean authorized(HttpServletRequest req) {
        String token = config.token();
        String header = req.getHeader("Authorization");
        String given = req.getParameter("token");
        return ConsoleLogin.bearer(header, token) || (!token.isEmpty() && ConsoleLogin.same(given, token))
                || login().acceptsBasic(header);
    }

    /** The console's login as configured now (it may change while the gateway runs). */
    private ConsoleLogin login() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(" + org.osgi.framework.Constants.SERVICE_PID + "=" + ConsoleLogin.PID + ")");
            return found == null || found.length == 0 ? ConsoleLogin.DEFAULT : ConsoleLogin.of(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("cannot read the Web Console's login ({}): only the token is accepted", e.toString());
            return new ConsoleLogin("", "{unavailable}", ConsoleLogin.DEFAULT.realm());
        }
    }

    private Optional<Camera> camera(String id) {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return cameras.stream().filter(c -> id.equals(c.id())).findFirst();
    }

    // ---- Monitored: gw:status -----------------------------------------------------------------

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public String id() {
        return "camera-streams";
    }

    @Override
    public Health health() {
        HttpConfiguration c = config;
        return Health.of(HealthState.OPEN, String.format(Locale.ROOT, "%d of at most %d MJPEG streams open, %d served; %s",
                streams.count(), c.maxStreams(), streams.served(), c.token().isEmpty() ? "Web Console login"
                        : "Web Console login or token"));
    }
}
