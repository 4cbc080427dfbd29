package org.edgegate.clips.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.edgegate.api.health.Ids;
import org.edgegate.commands.Json;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The clips over HTTP, in the gateway's login context ({@code bundles/http}: the Web Console's login or the
 * streams' token): {@value #PATH} the JSON list, {@code <clip>/<file>} each file for download,
 * {@code <clip>/<camera>.mjpg} the camera's frames replayed as an MJPEG stream at their recorded pace and
 * {@code <clip>/<camera>.jpg} one frame (the first after the trigger) as a thumbnail.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + ClipsServlet.PATH + "*",
        "osgi.http.whiteboard.servlet.name=edgegate-clips",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgegate)" })
public class ClipsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/edgegate/clips/";
    /** Replays at once; more are answered 503. */
    static final int MAX_REPLAYS = 4;
    /** A pause in a clip longer than this is shortened to it in a replay. */
    static final long MAX_PAUSE_MS = 2_000;
    private static final String BOUNDARY = "edgegate-clip";
    /** The dashboard's Clips section, hooked into the Web Console's EdgeGate tab. */
    static final String SCRIPT = "dashboard.js";

    @Reference
    private transient ClipRecorder recorder;

    private final transient Semaphore replays = new Semaphore(MAX_REPLAYS);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String rest = req.getRequestURI().substring(Math.min(req.getRequestURI().length(),
                req.getContextPath().length() + PATH.length()));
        resp.setHeader("Cache-Control", "no-store");
        if (rest.isEmpty()) {
            list(resp);
            return;
        }
        if (rest.equals(SCRIPT)) {
            script(resp);
            return;
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || !Ids.valid(parts[0]) || !Ids.valid(parts[1])) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such clip file: give /edgegate/clips/<clip>/<file>");
            return;
        }
        ClipStore.Stored clip = recorder.store().find(parts[0]);
        if (clip == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no clip " + parts[0]);
            return;
        }
        String name = parts[1];
        if (name.endsWith(".mjpg") || name.endsWith(".jpg")) {
            String camera = name.substring(0, name.lastIndexOf('.'));
            Path avi = clip.dir().resolve(camera + ".avi");
            if (!Files.isRegularFile(avi)) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no camera " + camera + " in clip " + parts[0]);
                return;
            }
            if (name.endsWith(".jpg")) {
                thumbnail(clip, camera, avi, resp);
            } else {
                replay(clip, camera, avi, resp);
            }
            return;
        }
        Path file = clip.dir().resolve(name);
        String type = name.endsWith(".avi") ? "video/x-msvideo" : name.endsWith(".json") ? "application/json"
                : name.endsWith(".jsonl") ? "application/x-ndjson" : null;
        if (type == null || !Files.isRegularFile(file)) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no file " + name + " in clip " + parts[0]);
            return;
        }
        resp.setContentType(type);
        resp.setContentLengthLong(Files.size(file));
        resp.setHeader("Content-Disposition", "attachment; filename=\"" + parts[0] + "-" + name + "\"");
        try (OutputStream out = resp.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    /** {@code POST record} with {@code cameras} (space- or comma-separated) and {@code seconds}: a manual clip. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String rest = req.getRequestURI().substring(Math.min(req.getRequestURI().length(),
                req.getContextPath().length() + PATH.length()));
        if (!rest.equals("record")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "POST " + PATH + "record only");
            return;
        }
        String cameras = req.getParameter("cameras");
        String seconds = req.getParameter("seconds");
        resp.setContentType("text/plain;charset=utf-8");
        try {
            List<String> ids = RecordRequest.cameras(RecordRequest.split(cameras == null ? "" : cameras));
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("name the cameras to record");
            }
            int s = seconds == null || seconds.isBlank() ? ClipsCommands.DEFAULT_SECONDS : Integer.parseInt(seconds.trim());
            String id = recorder.record(ids, s);
            resp.getWriter().print("recording clip " + id);
        } catch (IllegalArgumentException | IllegalStateException e) { // NumberFormatException included
            resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            resp.getWriter().print(Ids.quote(e.getMessage()));
        }
    }

    private static void script(HttpServletResponse resp) throws IOException {
        try (InputStream in = ClipsServlet.class.getResourceAsStream("web/" + SCRIPT)) {
            byte[] body = in.readAllBytes();
            resp.setContentType("text/javascript;charset=utf-8");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    private void list(HttpServletResponse resp) throws IOException {
        List<Object> out = new ArrayList<>();
        for (ClipStore.Stored s : recorder.store().list(null)) {
            Map<String, Object> m = s.manifest().toMap();
            m.put("bytes", s.bytes());
            m.put("url", PATH + s.manifest().clip() + "/");
            out.add(m);
        }
        byte[] body = Json.write(out).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static void thumbnail(ClipStore.Stored clip, String camera, Path avi, HttpServletResponse resp)
            throws IOException {
        List<ClipReader.Frame> frames = ClipReader.frames(clip.dir(), camera, avi);
        if (frames.isEmpty()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "clip " + clip.manifest().clip() + " holds no frame of " + camera);
            return;
        }
        ClipReader.Frame pick = frames.get(frames.size() - 1);
        for (ClipReader.Frame f : frames) {
            if (f.time() >= clip.manifest().triggerTime()) {
                pick = f;
                break;
            }
        }
        byte[] jpeg = ClipReader.jpeg(avi, pick);
        resp.setContentType("image/jpeg");
        resp.setContentLength(jpeg.length);
        resp.getOutputStream().write(jpeg);
    }

    private void replay(ClipStore.Stored clip, String camera, Path avi, HttpServletResponse resp) throws IOException {
        if (!replays.tryAcquire()) {
            resp.setHeader("Retry-After", "5");
            resp.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, MAX_REPLAYS + " clip replays are running");
            return;
        }
        try {
            List<ClipReader.Frame> frames = ClipReader.frames(clip.dir(), camera, avi);
            resp.setContentType("multipart/x-mixed-replace;boundary=" + BOUNDARY);
            OutputStream out = resp.getOutputStream();
            long previous = -1;
            for (ClipReader.Frame f : frames) {
                if (previous >= 0 && f.time() > previous) {
                    Thread.sleep(Math.min(MAX_PAUSE_MS, f.time() - previous)); // the recorded pace
                }
                previous = f.time();
                byte[] jpeg = ClipReader.jpeg(avi, f);
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                        + "\r\nX-Timestamp: " + f.time() / 1000 + "." + String.format("%03d", f.time() % 1000)
                        + "000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            replays.release();
        }
    }
}
