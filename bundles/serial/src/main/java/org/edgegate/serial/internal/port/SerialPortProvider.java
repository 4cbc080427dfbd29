package org.edgegate.serial.internal.port;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.PortSettings;
import org.osgi.service.component.annotations.Component;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortDataListener;
import com.fazecast.jSerialComm.SerialPortEvent;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;

/**
 * Device paths ({@code /dev/ttyUSB0}, {@code /dev/serial/by-id/...}, {@code COM3}, also written
 * {@code serial:/dev/ttyUSB0}) opened with jSerialComm. jSerialComm keeps {@code isOpen()} true after
 * an unplug, so a lost device is told by a read error (EIO), the disconnect event, or the sensor's
 * watchdog; the sensor then closes and reopens the same path.
 */
@Component(property = PortProvider.SCHEME + "=serial")
public class SerialPortProvider implements PortProvider {
    static final int WRITE_TIMEOUT_MS = 2000;

    @Override
    public PortConnection open(String port, PortSettings settings) throws IOException {
        String path = path(port);
        SerialPort sp;
        try {
            sp = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("no device at " + path);
        }
        sp.setComPortParameters(settings.baud(), settings.dataBits(), stopBits(settings.stopBits()),
                parity(settings.parity()));
        sp.setFlowControl(flowControl(settings.flowControl()));
        sp.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                StreamConnection.IDLE_READ_MS, WRITE_TIMEOUT_MS);
        if (!sp.openPort()) {
            int code = sp.getLastErrorCode();
            throw new IOException("cannot open " + path + " (absent, busy or no permission; error " + code + ")");
        }
        return new Connection(sp);
    }

    static String path(String port) {
        String p = port.trim();
        if (p.regionMatches(true, 0, "serial:", 0, 7)) {
            p = p.substring(7);
            if (p.startsWith("//")) {
                p = p.substring(2);
            }
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty device path");
        }
        return p;
    }

    @Override
    public List<PortDescription> ports() {
        Map<Path, String> aliases = stableNames(List.of(Path.of("/dev/serial/by-id"), Path.of("/dev/serial/by-path")));
        List<PortDescription> result = new ArrayList<>();
        for (SerialPort sp : SerialPort.getCommPorts()) {
            String path = sp.getSystemPortPath();
            String description = sp.getDescriptivePortName();
            if (!sp.getPortDescription().isBlank() && !description.contains(sp.getPortDescription())) {
                description += " (" + sp.getPortDescription() + ")";
            }
            String alias = "";
            try {
                alias = aliases.getOrDefault(Path.of(path).toRealPath(), "");
            } catch (IOException | RuntimeException notAFile) {
                // Windows COM names have no real path
            }
            result.add(new PortDescription(path, description, alias));
        }
        return result;
    }

    /**
     * The stable names udev gives serial devices (by-id: the device's make and serial number; by-path: the
     * USB socket it is plugged into), by the device they point to, joined with ", " when there are several.
     */
    static Map<Path, String> stableNames(List<Path> dirs) {
        Map<Path, String> links = new HashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                List<Path> sorted = new ArrayList<>();
                entries.forEach(sorted::add);
                sorted.sort(null);
                for (Path link : sorted) {
                    try {
                        links.merge(link.toRealPath(), link.toString(), (a, b) -> a + ", " + b);
                    } catch (IOException dangling) {
                        // unplugged while listing
                    }
                }
            } catch (IOException e) {
                // no aliases from this directory then
            }
        }
        return links;
    }

    private static int stopBits(PortSettings.StopBits s) {
        return switch (s) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private static int parity(PortSettings.Parity p) {
        return switch (p) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }

    private static int flowControl(PortSettings.FlowControl f) {
        return switch (f) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XON_XOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        };
    }

    /** An open jSerialComm port as streams: a read returns 0 after the read timeout, -1 once the device is gone. */
    private static final class Connection extends StreamConnection {
        private final SerialPort port;
        private volatile boolean gone;
        private volatile boolean closed;

        Connection(SerialPort port) {
            this.port = port;
            // read errors tell an unplug on Linux; the event covers systems where a read just returns 0.
            // Its thread makes closing take up to half a second longer: deactivation waits for it.
            port.addDataListener(new SerialPortDataListener() {
                @Override
                public int getListeningEvents() {
                    return SerialPort.LISTENING_EVENT_PORT_DISCONNECTED;
                }

                @Override
                public void serialEvent(SerialPortEvent event) {
                    gone = true;
                }
            });
        }

        /** Semi-blocking: 0 after the read timeout. */
        @Override
        int read(byte[] b, int off, int len) throws IOException {
            if (closed || gone) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = port.readBytes(b, len, off);
            if (n < 0) {
                if (closed || gone) {
                    return -1;
                }
                throw new IOException("device error " + port.getLastErrorCode() + " reading " + port.getSystemPortPath());
            }
            return n;
        }

        @Override
        void write(byte[] b, int off, int len) throws IOException {
            int done = 0;
            while (done < len) {
                if (closed || gone) {
                    throw new IOException("port closed");
                }
                int n = port.writeBytes(b, len - done, off + done);
                if (n <= 0) {
                    throw new IOException("write to " + port.getSystemPortPath() + " failed (error "
                            + port.getLastErrorCode() + ")");
                }
                done += n;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                port.removeDataListener();
                port.closePort();
            }
        }
    }
}
