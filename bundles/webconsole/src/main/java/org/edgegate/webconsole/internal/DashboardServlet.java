package org.edgegate.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.inventory.Inventory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The "EdgeGate" tab of the Felix Web Console: a Jakarta servlet service with the console's plugin
 * properties, so the console wraps the page in its frame and menu and authenticates every request
 * before it gets here (it is registered nowhere else: no HTTP whiteboard pattern).
 *
 * <p>Below the console's {@code /<label>}: the page itself (an empty frame filled by
 * {@code res/dashboard.js}), {@code data.json} (everything, state filtered by {@code ?prefix=}),
 * {@code camera.jpg?id=} (the camera's newest picture), POST {@code camera.json} with {@code id}
 * and {@code action=start|stop}, and the page's script and style sheet under {@code res/}. The console
 * decorates only paths without an extension (or {@code .html}), which is why the endpoints have one.
 * (The console would also serve files at {@code res/} of the bundle's root, but without a content type,
 * hence ours live in the {@code web} folder of this package and are served here.)
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + DashboardServlet.LABEL,
        "felix.webconsole.title=EdgeGate",
        "felix.webconsole.category=EdgeGate",
        "felix.webconsole.css=/" + DashboardServlet.LABEL + "/res/dashboard.css" })
public class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String LABEL = "edgegate";
    /** A header a cross-site form cannot send (and cross-site fetch only after a preflight nobody answers). */
    static final String CSRF_HEADER = "X-Requested-With";
    static final String CSRF_VALUE = "EdgeGate";
    /** Request attribute set by the Web Console: the absolute path of this plugin. */
    private static final String ATTR_PLUGIN_ROOT = "felix.webconsole.pluginRoot";
    private static final String PAGE = new String(file("dashboard.html"), StandardCharsets.UTF_8);
    private static final Map<String, StaticFile> FILES = Map.of(
            "/res/dashboard.js", new StaticFile("text/javascript;charset=utf-8", file("dashboard.js")),
            "/res/dashboard.css", new StaticFile("text/css;charset=utf-8", file("dashboard.css")),
            // uPlot (MIT), from its webjar org.webjars.npm:uplot, unpacked here by the build
            "/res/uPlot.iife.min.js", new StaticFile("text/javascript;charset=utf-8", file("uPlot.iife.min.js")),
            "/res/uPlot.min.css", new StaticFile("text/css;charset=utf-8", file("uPlot.min.css")));

    /** The gateway's sensors, cameras, endpoints, monitored parts and state (bundles/http serves it). */
    @Reference
    private Inventory inventory;

    @Reference
    private Trends trends;

    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (subPath(req)) {
            case "", "/" -> page(req, resp);
            case "/data.json" -> data(req, resp);
            case "/camera.jpg" -> picture(req, resp);
            case "/trends.json" -> trends(req, resp);
            default -> staticFile(req, resp);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/camera.json".equals(subPath(req))) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (!sameOrigin(req)) {
            json(resp, HttpServletResponse.SC_FORBIDDEN,
                    Map.of("error", "cross-site request refused (the dashboard sends " + CSRF_HEADER + ")"));
            return;
        }
        String id = req.getParameter("id");
        String action = req.getParameter("action");
        if (id == null || !("start".equals(action) || "stop".equals(action))) {
            json(resp, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "needs id and action=start|stop"));
            return;
        }
        Optional<Camera> camera = camera(id);
        if (camera.isEmpty()) {
            json(resp, HttpServletResponse.SC_NOT_FOUND, Map.of("error", "no camera " + DashboardData.text(id)));
            return;
        }
        Camera c = camera.get();
        try {
            if ("start".equals(action)) {
                c.start();
            } else {
                c.stop();
            }
        } catch (RuntimeException e) {
            log.warn("Web Console: {} camera {} failed: {}", action, id, e.toString());
            json(resp, HttpServletResponse.SC_CONFLICT, Map.of("error", DashboardData.text(String.valueOf(e.getMessage()))));
            return;
        }
        log.info("Web Console user {}: camera {} {}", req.getRemoteUser(), id, action);
        json(resp, HttpServletResponse.SC_OK, DashboardData.cameras(List.of(c)).get(0));
    }

    private void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PrintWriter out = resp.getWriter();
        out.print(PAGE.replace("{{root}}", Html.escape(pluginRoot(req))));
    }

    private void data(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Inventory i = inventory;
        Map<String, Object> data = DashboardData.read(Instant.now(), i.monitored(), i.sensors(), i.cameras(), i.state(),
                req.getParameter("prefix"));
        data.put("endpoints", DashboardData.endpoints(i.endpoints()));
        data.put("config", DashboardData.configurations(context));
        json(resp, HttpServletResponse.SC_OK, data);
    }

    /** The trends from {@code since} (epoch seconds, inclusive; absent: the whole window). */
    private void trends(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long now = Instant.now().getEpochSecond();
        long since = 0;
        try {
            String p = req.getParameter("since");
            since = p == null ? 0 : Long.parseLong(p);
        } catch (NumberFormatException e) {
            json(resp, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "since: epoch seconds"));
            return;
        }
        json(resp, HttpServletResponse.SC_OK, Map.of("now", now, "window", Trends.WINDOW_SECONDS,
                "sensors", trends.json(now, since)));
    }

    private void picture(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getParameter("id");
        Optional<Camera> camera = id == null ? Optional.empty() : camera(id);
        if (camera.isEmpty()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Frame frame;
        byte[] jpeg;
        try {
            frame = camera.get().snapshot();
            jpeg = frame.jpeg();
        } catch (RuntimeException e) {
            // Only when OpenCV cannot load on this platform; the camera's row says why.
            resp.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        noStore(resp);
        resp.setContentType("image/jpeg");
        resp.setHeader("X-Frame-Sequence", Long.toString(frame.sequence()));
        resp.setHeader("X-Frame-Placeholder", Boolean.toString(frame.isPlaceholder()));
        resp.setContentLength(jpeg.length);
        resp.getOutputStream().write(jpeg);
    }

    private static void staticFile(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        StaticFile file = FILES.get(subPath(req));
        if (file == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("ETag", file.etag());
        if (file.etag().equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setContentType(file.type());
        resp.setContentLength(file.bytes().length);
        resp.getOutputStream().write(file.bytes());
    }

    /** A file of the page, with its content type; the ETag changes with the content (a new bundle). */
    private record StaticFile(String type, byte[] bytes, String etag) {
        StaticFile(String type, byte[] bytes) {
            this(type, bytes, "\"" + Integer.toHexString(Arrays.hashCode(bytes)) + "\"");
        }
    }

    private Optional<Camera> camera(String id) {
        return inventory.cameras().stream().filter(c -> id.equals(c.id())).findFirst();
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        noStore(resp);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        DashboardData.write(body, resp.getWriter());
    }

    private static void noStore(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * A state-changing request must carry our header and, when the browser names an origin, come from
     * the console's own: the console authenticates with HTTP Basic, which a browser would also send
     * along with a form posted from another site.
     */
    static boolean sameOrigin(HttpServletRequest req) {
        if (!CSRF_VALUE.equals(req.getHeader(CSRF_HEADER))) {
            return false;
        }
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String host = req.getHeader("Host");
        try {
            String authority = URI.create(origin).getAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The path below {@code /<label>}: "" for the page itself, "?" for something else. */
    static String subPath(HttpServletRequest req) {
        String path = req.getPathInfo();
        String prefix = "/" + LABEL;
        if (path == null || path.equals(prefix)) {
            return "";
        }
        return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : "?";
    }

    private static String pluginRoot(HttpServletRequest req) {
        Object root = req.getAttribute(ATTR_PLUGIN_ROOT);
        return root instanceof String s ? s : req.getContextPath() + req.getServletPath() + "/" + LABEL;
    }

    private static byte[] file(String name) {
        try (InputStream in = DashboardServlet.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing web/" + name + " in the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
