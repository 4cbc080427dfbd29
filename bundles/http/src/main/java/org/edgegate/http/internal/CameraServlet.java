package org.edgegate.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.http.internal.login.LoginContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@value #PATH}{@code <id>/stream.mjpg} and {@code <id>/snapshot.jpg} for every camera, registered on the
 * gateway's HTTP server through the (Jakarta) HTTP whiteboard, in the gateway's login context
 * ({@link LoginContext}: the Web Console's login or the streams' token), which lets only logged-in requests
 * through to here.
 */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=" + CameraServlet.PATH + "*",
        "osgi.http.whiteboard.servlet.asyncSupported=true",
        "osgi.http.whiteboard.servlet.name=edgegate-cameras",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=" + LoginContext.NAME + ")" })
@Designate(ocd = HttpConfig.class)
public class CameraServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/edgegate/cameras/";

    @Reference
    private transient volatile Streams streams;

    private final List<Camera> cameras = new CopyOnWriteArrayList<>();

    /** The lowest {@code ?fps}: one frame in 20 s, well inside the server's 60 s idle timeout. */
    static final double MIN_FPS = 0.05;
    static final double MAX_FPS = 1000;

    private volatile StreamLimit limit = new StreamLimit(StreamLimit.DEFAULT, null);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCamera(Camera camera) {
        cameras.add(camera);
    }

    /** A camera whose configuration is gone: its streams end (the client may come back for a new one). */
    void unbindCamera(Camera camera) {
        cameras.remove(camera);
        Streams s = streams;                    // null while DS still wires the component up
        if (s != null) {
            s.closeCamera(camera.id());
        }
    }

    @Activate
    @Modified
    void configure(HttpConfig c, Map<String, Object> raw) {
        this.limit = StreamLimit.of(c, raw);      // StreamsStatus reports a bad value
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
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
            if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
                resp.sendError(HttpServletResponse.SC_BAD_REQUEST,
                        "fps must be a number from " + MIN_FPS + " to " + (int) MAX_FPS + ", e.g. ?fps=5");
                return;
            }
        }
        resp.setContentType(Part.CONTENT_TYPE);
        AsyncContext async = req.startAsync();
        async.setTimeout(0);                    // streams until the client leaves (or the server's idle timeout)
        StreamClient client = new StreamClient(camera.id(), req.getRemoteAddr() + ":" + req.getRemotePort(), fps,
                async, resp.getOutputStream(), streams::remove);
        int max = limit.max();
        if (!streams.add(client, max)) {
            resp.setHeader("Retry-After", "10");
            resp.setContentType("text/plain;charset=utf-8");
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            resp.getOutputStream().write(("too many streams (" + max + "): see maxStreams of " + HttpConfig.PID + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            async.complete();
            return;
        }
        client.start();
        camera.latest().ifPresent(f -> client.offer(Part.of(f)));     // the newest picture at once
    }

    private Optional<Camera> camera(String id) {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return cameras.stream().filter(c -> id.equals(c.id())).findFirst();
    }
}
