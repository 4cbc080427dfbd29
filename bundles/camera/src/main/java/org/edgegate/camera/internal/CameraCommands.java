package org.edgegate.camera.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.camera.Frame;
import org.edgegate.camera.internal.source.V4l2Devices;
import org.edgegate.commands.Json;
import org.edgegate.commands.Subcommands;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo commands for cameras: {@code gw:cameras [--json]}, {@code gw:camera start|stop <id>} (subcommands,
 * openHAB style: see docs/architecture.md), {@code gw:snapshot}.
 */
@Component(service = CameraCommands.class, immediate = true, property = {
    "osgi.command.scope=gw",
    "osgi.command.function=cameras",
    "osgi.command.function=camera",
    "osgi.command.function=snapshot"})
public class CameraCommands {
    static final String START = "start <camera id> - start a camera: sets camera/<id>/enabled=true";
    static final String STOP = "stop <camera id> - stop a camera and release its device: sets camera/<id>/enabled=false";
    static final String DEVICES = "devices - list the V4L2 devices (/sys/class/video4linux): name, driver, bus, capture or "
            + "not, their stable /dev/v4l/by-id and by-path names and the cameras using them";

    private final Subcommands camera = new Subcommands("gw:camera")
            .on(START, a -> {
                camera(a.get(0)).start();
                return "camera " + a.get(0) + " started";
            })
            .on(STOP, a -> {
                camera(a.get(0)).stop();
                return "camera " + a.get(0) + " stopped";
            })
            .on(DEVICES, a -> devices());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<Camera> cameras = new CopyOnWriteArrayList<>();

    @Reference
    private FrameDispatcher dispatcher;

    @Descriptor("list cameras: id, source, status, actual size, measured fps, frames, dropped, mean encode ms, last error; "
            + "how the JPEG is made (passthrough or encode, with which codec) and why")
    public String cameras(@Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            @Descriptor("print JSON: one object per camera with its health, statistics and JPEG path") boolean json) {
        List<Camera> all = new ArrayList<>(cameras);
        all.sort(Comparator.comparing(Camera::id));
        if (json) {
            return Json.write(all.stream().map(CameraCommands::json).toList());
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-12s %-24s %-13s %-10s %6s %9s %8s %7s  %s%n", "ID", "SOURCE", "STATUS",
                "SIZE", "FPS", "FRAMES", "DROPPED", "ENC ms", "DETAIL"));
        for (Camera c : all) {
            CameraStatistics s = c.statistics();
            String size = s.width() > 0 ? s.width() + "x" + s.height() : "-";
            String note = c.health().reason();
            if (!s.lastError().isEmpty() && !note.contains(s.lastError())) {
                note += (note.isEmpty() ? "" : "; ") + "last error: " + s.lastError();
            }
            b.append(String.format(Locale.ROOT, "%-12s %-24s %-13s %-10s %6.1f %9d %8d %7.2f  %s%n", c.id(),
                    shorten(c.source(), 24), c.health().state(), size, s.fps(), s.frames(), s.dropped(),
                    s.meanEncodeMillis(), note));
            b.append(String.format(Locale.ROOT, "%-12s jpeg: %s%n", "", c.jpegPath()));
        }
        if (all.isEmpty()) {
            b.append("(no cameras configured: add a factory configuration org.edgegate.camera)\n");
        }
        List<FrameDispatcher.ListenerStats> listeners = dispatcher.listeners();
        if (!listeners.isEmpty()) {
            b.append("frame listeners:\n");
            for (FrameDispatcher.ListenerStats l : listeners) {
                b.append(String.format(Locale.ROOT, "  %s (service %d): delivered %d, dropped %d%n", l.name(),
                        l.serviceId(), l.delivered(), l.dropped()));
            }
        }
        return b.toString();
    }

    @Descriptor("start or stop a camera, or list the devices:\n  " + START + "\n  " + STOP + "\n  " + DEVICES)
    public Object camera(@Descriptor("start or stop, then the camera id; or devices (gw:camera --help)") String... args)
            throws Exception {
        return camera.run(args);
    }

    private String devices() throws IOException {
        Map<String, List<String>> usedBy = new TreeMap<>();
        for (Camera c : cameras) {
            String node = V4l2Devices.nodeOf(c.source(), Paths.get("/dev"));
            if (node != null) {
                usedBy.computeIfAbsent(node, k -> new ArrayList<>()).add(c.id());
            }
        }
        return V4l2Devices.table(V4l2Devices.system().list(), usedBy);
    }

    private static Map<String, Object> json(Camera c) {
        CameraStatistics s = c.statistics();
        return Json.object(
                "id", c.id(),
                "source", c.source(),
                "state", c.health().state().name(),
                "reason", c.health().reason(),
                "running", c.isRunning(),
                "width", s.width(),
                "height", s.height(),
                "fps", s.fps(),
                "frames", s.frames(),
                "dropped", s.dropped(),
                "meanEncodeMillis", s.meanEncodeMillis(),
                "lastError", s.lastError(),
                "jpeg", c.jpegPath());
    }

    @Descriptor("write a camera's newest frame (or its no-signal picture) as JPEG")
    public String snapshot(CommandSession session, @Descriptor("camera id") String id,
            @Descriptor("file to write, e.g. cam0.jpg") String file) throws IOException {
        Frame f = camera(id).snapshot();
        Path out = resolve(session, file);
        Files.write(out, f.jpeg());
        return String.format(Locale.ROOT, "%s: %s %dx%d, %d bytes", out, f.isPlaceholder() ? "no signal"
                : "frame " + f.sequence(), f.width(), f.height(), f.jpeg().length);
    }

    private Camera camera(String id) {
        for (Camera c : cameras) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no camera '" + id + "'; gw:cameras lists them");
    }

    /** Relative to the shell's working directory when it has one. */
    private static Path resolve(CommandSession session, String file) {
        Path p = Paths.get(file);
        Object pwd = session == null ? null : session.currentDir();
        return p.isAbsolute() || pwd == null ? p.toAbsolutePath() : Paths.get(pwd.toString()).resolve(p);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max + 3);
    }
}
