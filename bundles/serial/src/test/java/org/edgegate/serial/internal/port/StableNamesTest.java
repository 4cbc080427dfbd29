package org.edgegate.serial.internal.port;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** gw:ports puts udev's stable names beside each device: by-id and by-path links, by the device they name. */
public class StableNamesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void byIdAndByPathLinksAreFoundForTheDeviceTheyPointTo() throws Exception {
        Path dev = tmp.newFolder("dev").toPath();
        Path ttyUsb0 = Files.createFile(dev.resolve("ttyUSB0"));
        Path ttyUsb1 = Files.createFile(dev.resolve("ttyUSB1"));
        Path byId = Files.createDirectories(dev.resolve("serial/by-id"));
        Path byPath = Files.createDirectories(dev.resolve("serial/by-path"));
        Path id0 = Files.createSymbolicLink(byId.resolve("usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"),
                Path.of("../../ttyUSB0"));
        Path path0 = Files.createSymbolicLink(byPath.resolve("pci-0000:00:14.0-usb-0:2:1.0-port0"),
                Path.of("../../ttyUSB0"));
        Path path1 = Files.createSymbolicLink(byPath.resolve("pci-0000:00:14.0-usb-0:3:1.0-port0"),
                Path.of("../../ttyUSB1"));
        Files.createSymbolicLink(byId.resolve("unplugged"), Path.of("../../ttyUSB9"));

        Map<Path, String> names = SerialPortProvider.stableNames(List.of(byId, byPath, dev.resolve("absent")));

        assertEquals(id0 + ", " + path0, names.get(ttyUsb0.toRealPath()));
        assertEquals(path1.toString(), names.get(ttyUsb1.toRealPath()));
        assertEquals("a dangling link names nothing", 2, names.size());
        assertTrue(SerialPortProvider.stableNames(List.of(dev.resolve("absent"))).isEmpty());
    }
}
