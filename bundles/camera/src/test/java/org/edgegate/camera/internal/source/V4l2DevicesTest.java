package org.edgegate.camera.internal.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** gw:camera devices reads a sysfs tree: a fake one here, laid out as the kernel and udev lay theirs. */
public class V4l2DevicesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;

    private Path sys;
    private Path dev;
    private Path udev;

    /** A node as the kernel shows it: name, index, dev numbers, and device/driver and subsystem links. */
    private void node(String node, String name, int index, String driver, String bus, int minor) throws IOException {
        Path n = Files.createDirectories(sys.resolve(node));
        Files.writeString(n.resolve("name"), name + "\n");
        Files.writeString(n.resolve("index"), index + "\n");
        Files.writeString(n.resolve("dev"), "81:" + minor + "\n");
        if (driver != null) {
            Path device = Files.createDirectories(root.resolve("devices").resolve(node + "-parent"));
            Files.createSymbolicLink(n.resolve("device"), device);
            Files.createSymbolicLink(device.resolve("driver"), root.resolve("bus").resolve(bus).resolve("drivers")
                    .resolve(driver));
            Files.createSymbolicLink(device.resolve("subsystem"), root.resolve("bus").resolve(bus));
        }
        Files.createFile(dev.resolve(node));
    }

    private void link(String kind, String name, String node) throws IOException {
        Path dir = Files.createDirectories(dev.resolve("v4l").resolve(kind));
        Files.createSymbolicLink(dir.resolve(name), Path.of("../../" + node));
    }

    @Before
    public void setUp() {
        root = tmp.getRoot().toPath();
    }

    private V4l2Devices fakeMachine() throws IOException {
        sys = Files.createDirectories(root.resolve("sys/class/video4linux"));
        dev = Files.createDirectories(root.resolve("dev"));
        udev = Files.createDirectories(root.resolve("run/udev/data"));
        node("video0", "HD Pro Webcam C920", 0, "uvcvideo", "usb", 0);
        node("video1", "HD Pro Webcam C920", 1, "uvcvideo", "usb", 1);
        node("video10", "EdgeGate-MJPEG-A", 0, null, null, 10);
        node("video2", "vivid-000-vid-cap", 0, "vivid", "platform", 2);
        link("by-id", "usb-046d_HD_Pro_Webcam_C920_ABC123-video-index0", "video0");
        link("by-id", "usb-046d_HD_Pro_Webcam_C920_ABC123-video-index1", "video1");
        link("by-path", "platform-3f980000.usb-usb-0:1.2:1.0-video-index0", "video0");
        // udev recorded the capabilities of the UVC nodes only
        Files.writeString(udev.resolve("c81:0"), "S:v4l/by-id/x\nE:ID_V4L_CAPABILITIES=:capture:\nE:ID_V4L_VERSION=2\n");
        Files.writeString(udev.resolve("c81:1"), "E:ID_V4L_CAPABILITIES=:\n");
        return new V4l2Devices(sys, dev, udev);
    }

    @Test
    public void listsEveryNodeWithDriverCaptureAndStableNames() throws IOException {
        List<V4l2Devices.Device> devices = fakeMachine().list();

        assertEquals("numeric order", List.of(dev + "/video0", dev + "/video1", dev + "/video2", dev + "/video10"),
                devices.stream().map(V4l2Devices.Device::node).toList());
        V4l2Devices.Device c920 = devices.get(0);
        assertEquals("HD Pro Webcam C920", c920.name());
        assertEquals("uvcvideo", c920.driver());
        assertEquals("usb", c920.bus());
        assertEquals("udev's ID_V4L_CAPABILITIES", "yes", c920.capture());
        assertEquals(List.of(dev + "/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_ABC123-video-index0",
                dev + "/v4l/by-path/platform-3f980000.usb-usb-0:1.2:1.0-video-index0"), c920.stableNames());
        assertEquals("the metadata node, as udev says", "no", devices.get(1).capture());
        assertEquals("vivid", devices.get(2).driver());
        assertEquals("platform", devices.get(2).bus());
        assertEquals("no udev record: guessed from index 0", "yes?", devices.get(2).capture());
        assertEquals("a node without a device link (v4l2loopback)", "-", devices.get(3).driver());
        assertEquals(List.of(), devices.get(3).stableNames());
    }

    @Test
    public void tableShowsCamerasByTheNodeTheirSourceResolvesTo() throws IOException {
        V4l2Devices d = fakeMachine();
        String cam0 = V4l2Devices.nodeOf(dev + "/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_ABC123-video-index0", dev);
        assertEquals("a by-id link resolves to its node", dev.toRealPath().resolve("video0").toString(), cam0);
        assertEquals("an index names /dev/videoN", dev.resolve("video2").toString(), V4l2Devices.nodeOf("2", dev));
        assertNull(V4l2Devices.nodeOf("pattern:", dev));
        assertEquals("an unplugged camera's link is kept as written", dev + "/v4l/by-id/gone",
                V4l2Devices.nodeOf(dev + "/v4l/by-id/gone", dev));

        String table = V4l2Devices.table(d.list(), Map.of(dev + "/video0", List.of("cam0", "door")));
        String[] lines = table.split("\n");
        assertTrue(table, lines[0].startsWith("DEVICE ") && lines[0].contains("CAPTURE") && lines[0].endsWith("CAMERA"));
        assertTrue(table, lines[1].startsWith(dev + "/video0 ") && lines[1].contains("uvcvideo")
                && lines[1].endsWith("cam0,door"));
        assertTrue(table, lines[2].contains("by-id/usb-046d_HD_Pro_Webcam_C920_ABC123-video-index0")
                && lines[2].contains("stable name of " + dev + "/video0"));
        assertTrue(table, table.contains("vivid-000-vid-cap"));
    }

    @Test
    public void noDevicesSaysWhatToDo() throws IOException {
        V4l2Devices none = new V4l2Devices(root.resolve("absent"), root.resolve("dev"), null);
        assertEquals(List.of(), none.list());
        assertTrue(V4l2Devices.table(List.of(), Map.of()).contains("plug a camera in"));
    }
}
