package org.edgegate.serial.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Reading;
import org.edgegate.serial.internal.parser.DashParserFactory;
import org.edgegate.serial.internal.port.SerialPortProvider;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The jSerialComm provider on a socat pseudo-terminal pair: reading, unplug (socat killed) and replug. */
public class PtyEngineTest {
    private Path dir;
    private Process socat;
    private SensorEngine engine;
    private final BlockingQueue<Reading> readings = new LinkedBlockingQueue<>();
    private final SerialPortProvider provider = new SerialPortProvider();

    @Before
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("edgegate-pty");
        socat = startSocat();
    }

    @After
    public void tearDown() throws Exception {
        if (engine != null) {
            engine.stop();
        }
        socat.destroy();
        socat.waitFor(5, TimeUnit.SECONDS);
        Files.deleteIfExists(dir.resolve("dev"));
        Files.deleteIfExists(dir.resolve("board"));
        Files.deleteIfExists(dir);
    }

    private Process startSocat() throws Exception {
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("dev"),
                "pty,raw,echo=0,link=" + dir.resolve("board")).redirectErrorStream(true).start();
        waitFor("socat links", () -> Files.exists(dir.resolve("dev")) && Files.exists(dir.resolve("board")));
        return p;
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private void write(String text) throws IOException {
        try (OutputStream out = new FileOutputStream(dir.resolve("board").toFile())) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void readsUnplugsAndReplugs() throws Exception {
        SensorSettings s = SensorSettings.from(Map.of("id", "pty", "port", dir.resolve("dev").toString(),
                "reconnectMin", 50, "reconnectMax", 200));
        engine = new SensorEngine(s, SensorEngine.Pipeline.of(new DashParserFactory().create(Map.of()),
                ChannelMapping.NONE), scheme -> scheme.equals("serial") ? provider : null,
                readings::add, new SensorEngine.Log() {
                    @Override
                    public void info(String m) {
                        System.out.println(m);
                    }

                    @Override
                    public void warn(String m) {
                        System.out.println(m);
                    }

                    @Override
                    public void debug(String m) {
                    }
                });
        engine.start();
        waitFor("OPEN", () -> engine.health().state() == HealthState.OPEN);
        write("T-25-H-60\r\n");
        assertEquals(Map.of("T", 25L, "H", 60L), readings.poll(5, TimeUnit.SECONDS).values());

        socat.destroy();
        socat.waitFor(5, TimeUnit.SECONDS);
        waitFor("RECONNECTING", () -> engine.health().state() == HealthState.RECONNECTING);
        System.out.println("unplugged: " + engine.health().reason());

        socat = startSocat();
        waitFor("OPEN again", () -> engine.health().state() == HealthState.OPEN);
        write("T--5.5-H-61\r\n");
        Reading r = readings.poll(5, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals(Map.of("T", -5.5, "H", 61L), r.values());
        assertTrue(engine.statistics().reconnects() >= 1);
    }
}
