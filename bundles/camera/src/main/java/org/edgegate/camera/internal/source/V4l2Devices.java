package org.edgegate.camera.internal.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The V4L2 devices the kernel lists in {@code /sys/class/video4linux}, with udev's stable names
 * ({@code /dev/v4l/by-id}, {@code /dev/v4l/by-path}), for {@code gw:camera devices}: what an operator
 * needs to pick a camera's {@code source}. Read from the file system only (no device is opened, so a
 * camera streaming elsewhere is not disturbed); the roots are parameters so a test can give a fake tree.
 */
public final class V4l2Devices {
    /**
     * One device node. {@code capture}: "yes"/"no" from udev's {@code ID_V4L_CAPABILITIES} when udev
     * recorded it, otherwise a guess from the node's index (a UVC camera's capture node is index 0, its
     * metadata node index 1), said as such.
     */
    public record Device(String node, String name, String driver, String bus, String capture, List<String> stableNames) {
    }

    private final Path sysClass;
    private final Path dev;
    private final Path udevData;

    public V4l2Devices(Path sysClass, Path dev, Path udevData) {
        this.sysClass = sysClass;
        this.dev = dev;
        this.udevData = udevData;
    }

    /** The machine's own: /sys/class/video4linux, /dev, /run/udev/data. */
    public static V4l2Devices system() {
        return new V4l2Devices(Path.of("/sys/class/video4linux"), Path.of("/dev"), Path.of("/run/udev/data"));
    }

    /** Every video node, by number (video2 before video10); empty when the class directory is absent. */
    public List<Device> list() throws IOException {
        List<Device> out = new ArrayList<>();
        if (!Files.isDirectory(sysClass)) {
            return out;
        }
        Map<String, List<String>> stable = stableNames();
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(sysClass, "video*")) {
            for (Path n : nodes) {
                String node = n.getFileName().toString();
                Path sys = n;
                String name = attribute(sys.resolve("name"));
                String driver = linkName(sys.resolve("device/driver"));
                String bus = linkName(sys.resolve("device/subsystem"));
                out.add(new Device(dev.resolve(node).toString(), name.isEmpty() ? "-" : name,
                        driver.isEmpty() ? "-" : driver, bus.isEmpty() ? "-" : bus, capture(sys),
                        stable.getOrDefault(node, List.of())));
            }
        }
        out.sort(Comparator.comparingInt((Device d) -> number(d.node())).thenComparing(Device::node));
        return out;
    }

    /** The table {@code gw:camera devices} prints, with the cameras that use each device. */
    public static String table(List<Device> devices, Map<String, List<String>> usedBy) {
        StringBuilder b = new StringBuilder();
        if (devices.isEmpty()) {
            return "(no V4L2 device: /sys/class/video4linux is empty; plug a camera in, or check the driver is loaded)\n";
        }
        b.append(String.format(Locale.ROOT, "%-14s %-28s %-14s %-8s %-8s %s%n", "DEVICE", "NAME", "DRIVER", "BUS",
                "CAPTURE", "CAMERA"));
        for (Device d : devices) {
            List<String> cams = usedBy.getOrDefault(d.node(), List.of());
            b.append(String.format(Locale.ROOT, "%-14s %-28s %-14s %-8s %-8s %s%n", d.node(), d.name(), d.driver(),
                    d.bus(), d.capture(), cams.isEmpty() ? "-" : String.join(",", cams)));
            for (String s : d.stableNames()) {
                b.append(String.format(Locale.ROOT, "  %s  (stable name of %s: prefer it)%n", s, d.node()));
            }
        }
        return b.toString();
    }

    /** The node a camera source names (/dev/videoN, a by-id link, an index), null when it names none. */
    public static String nodeOf(String source, Path dev) {
        String s = source == null ? "" : source.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 6) {
            return dev.resolve("video" + Integer.parseInt(s)).toString();
        }
        if (!s.startsWith("/")) {
            return null;
        }
        try {
            return Path.of(s).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return s; // absent now (unplugged): shown under the name the camera uses
        }
    }

    private String capture(Path sys) {
        String devNumbers = attribute(sys.resolve("dev"));
        if (!devNumbers.isEmpty() && udevData != null) {
            Path record = udevData.resolve("c" + devNumbers);
            if (Files.isReadable(record)) {
                try {
                    for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                        if (line.startsWith("E:ID_V4L_CAPABILITIES=")) {
                            return line.contains(":capture:") ? "yes" : "no";
                        }
                    }
                } catch (IOException e) {
                    // fall back to the index
                }
            }
        }
        String index = attribute(sys.resolve("index"));
        return index.isEmpty() ? "?" : index.equals("0") ? "yes?" : "no?";
    }

    /** node name (video0) -> the by-id and by-path links that resolve to it. */
    private Map<String, List<String>> stableNames() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String kind : new String[] {"by-id", "by-path"}) {
            Path dir = dev.resolve("v4l").resolve(kind);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
                List<Path> sorted = new ArrayList<>();
                links.forEach(sorted::add);
                sorted.sort(Comparator.naturalOrder());
                for (Path l : sorted) {
                    if (Files.isSymbolicLink(l)) {
                        Path target = Files.readSymbolicLink(l);
                        String node = target.getFileName().toString();
                        out.computeIfAbsent(node, k -> new ArrayList<>()).add(l.toString());
                    }
                }
            } catch (IOException e) {
                // a directory that vanished while listed: no stable names from it
            }
        }
        return out;
    }

    private static String attribute(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String linkName(Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            Path name = target.getFileName();
            return name == null ? "" : name.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int number(String node) {
        String digits = node.replaceAll("^.*?(\\d+)$", "$1");
        try {
            return digits.equals(node) ? Integer.MAX_VALUE : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
