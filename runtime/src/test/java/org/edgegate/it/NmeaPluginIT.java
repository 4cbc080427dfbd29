package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * The plug-in story in front of the user, against the assembled runtime as a separate process: a GPS
 * receiver (a socat pty fed NMEA-0183 sentences) is configured with {@code parser = nmea} before the
 * parser exists and waits, saying so; copying {@code plugins/edgegate-parser-nmea.jar} into
 * {@code deploy/} brings it alive without a restart (position, altitude, satellites, speed in the state;
 * a bad checksum counted as a parse error); removing the jar puts it back to waiting.
 */
public class NmeaPluginIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;
    private static final String WAITING = "parser nmea not available";
    /** A receiver's cycle, as a u-blox in a car writes it (checksums computed, not invented). */
    private static final String[] CYCLE = {
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
        "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",
        "$GPGSV,3,1,11,10,63,137,17,07,61,098,15,05,59,290,20,08,54,157,30*70",
        "$GNGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*68",
        "$GPRMC,092750.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A*43",
    };

    private RuntimeProcess gateway;
    private SocatPty gps;
    private Thread receiver;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Before
    public void start() throws Exception {
        gateway = new RuntimeProcess("NmeaPluginIT");
        Path home = gateway.home();
        gps = new SocatPty(home.resolveSibling("pty")).start();
        Files.writeString(home.resolve("etc/org.edgegate.serial.sensor-gps.cfg"), "id = gps\nport = " + gps.device()
                + "\nbaud = 9600\nparser = nmea\nchannels = altitude:altitude:m, speed:speed:kn\n");
        gateway.start();
        // The receiver talks all the time, as a real one does (5 sentences every 200 ms).
        receiver = new Thread(() -> {
            try {
                while (running.get()) {
                    for (String s : CYCLE) {
                        gps.write(s + "\r\n");
                    }
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        }, "nmea-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    @After
    public void stop() throws Exception {
        running.set(false);
        if (receiver != null) {
            receiver.interrupt();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (gps != null) {
            gps.close();
        }
    }

    @Test
    public void dropTheJarInAndTheSensorComesAliveTakeItOutAndItWaits() throws Exception {
        Path plugin = gateway.home().resolve("plugins/edgegate-parser-nmea.jar");
        assertTrue("the plug-in ships beside the runtime, not in bundle/: " + plugin, Files.isRegularFile(plugin));

        GatewayTestSupport.await("the gps sensor waiting for its parser", TIMEOUT,
                () -> sensors().contains(WAITING));
        assertTrue(gateway.cli("gw:status").output().contains(WAITING));
        assertTrue("no reading yet", gateway.cli("gw:get", "sensor/gps/latitude").output().contains("no entry"));

        // Copy the jar in (written aside, then moved, as cp to another name and mv would).
        Path deployed = gateway.home().resolve("deploy/edgegate-parser-nmea.jar");
        Path partial = deployed.resolveSibling("edgegate-parser-nmea.jar.part");
        Files.copy(plugin, partial);
        Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE);
        GatewayTestSupport.await("the position in the state", TIMEOUT, () -> {
            String lat = gateway.cli("gw:get", "sensor/gps/latitude").output().trim();
            return lat.startsWith("48.1173") || lat.startsWith("53.3613");
        });
        GatewayTestSupport.await("the second fix's western longitude", TIMEOUT,
                () -> gateway.cli("gw:get", "sensor/gps/longitude").output().trim().startsWith("-6.5056"));
        String sensors = sensors();
        assertTrue(sensors, sensors.lines().anyMatch(l -> l.startsWith("gps ") && l.contains("OPEN")));
        assertTrue(sensors, !sensors.contains(WAITING));
        assertEquals("8", gateway.cli("gw:get", "sensor/gps/satellites").output().trim());
        GatewayTestSupport.await("altitude and speed", TIMEOUT, () -> {
            String alt = gateway.cli("gw:get", "sensor/gps/altitude").output().trim();
            String speed = gateway.cli("gw:get", "sensor/gps/speed").output().trim();
            return (alt.equals("545.4") || alt.equals("61.7")) && (speed.equals("22.4") || speed.equals("0.02"));
        });
        String lb = gateway.bundles().output();
        assertTrue(lb, lb.lines().anyMatch(l -> l.contains("org.edgegate.parser-nmea") && l.contains("Active")));

        // A sentence garbled on the line: counted as a parse error, with the reason; reading goes on.
        gps.write("$GPGGA,123519,4807.038,N,01131.000,E,1,09,0.9,545.4,M,46.9,M,,*47\r\n");
        GatewayTestSupport.await("the bad checksum reported", TIMEOUT,
                () -> sensors().contains("NMEA checksum mismatch: line says 47, content gives 46"));

        // Take the jar out: the parser goes, the sensor waits again, the gateway runs on.
        Files.delete(deployed);
        GatewayTestSupport.await("the gps sensor waiting again", TIMEOUT, () -> sensors().contains(WAITING));
        GatewayTestSupport.await("the parser uninstalled", TIMEOUT, () -> gateway.bundles().output().lines()
                .noneMatch(l -> l.contains("org.edgegate.parser-nmea")));
        assertTrue("the gateway runs on", gateway.process().isAlive());
    }

    private String sensors() {
        RuntimeProcess.Result r = gateway.cli("gw:sensors");
        assertEquals(r.output(), 0, r.status());
        return r.output();
    }
}
