package org.edgegate.serial.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.serial.internal.parser.DashParserFactory;
import org.edgegate.serial.internal.parser.KvParserFactory;
import org.edgegate.serial.internal.port.SimPortProvider;
import org.edgegate.serial.internal.port.SocketPortProvider;
import org.junit.After;
import org.junit.Test;

/** The reader without a framework: simulated boards and a TCP server written here. */
public class SensorEngineTest {
    private final Map<String, PortProvider> providers = new HashMap<>(Map.of("sim", new SimPortProvider(),
            "socket", new SocketPortProvider()));
    private final BlockingQueue<Reading> readings = new LinkedBlockingQueue<>();
    private SensorEngine engine;

    private static final SensorEngine.Log QUIET = new SensorEngine.Log() {
        @Override
        public void info(String format, Object... arguments) {
        }

        @Override
        public void warn(String format, Object... arguments) {
        }

        @Override
        public void debug(String format, Object... arguments) {
        }
    };

    private SensorEngine start(Map<String, Object> config) {
        SensorSettings s = SensorSettings.from(config);
        engine = new SensorEngine(s, SensorEngine.Pipeline.of(new DashParserFactory().create(Map.of()),
                ChannelMapping.parse(s.channels())), providers::get, readings::add, QUIET);
        engine.start();
        return engine;
    }

    @After
    public void stop() {
        if (engine != null) {
            engine.stop();
        }
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

    @Test
    public void simulatedBoardDeliversMappedReadings() throws Exception {
        start(Map.of("id", "th", "port", "sim:th?rate=50", "channels", "T:temperature:°C"));
        Reading r = readings.poll(5, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals("th", r.sensorId());
        assertEquals(List.of("temperature", "H"), List.copyOf(r.values().keySet()));
        assertEquals("°C", r.units().get("temperature"));
        assertTrue(r.raw().matches("T-\\d+-H-\\d+"));
        assertEquals(HealthState.OPEN, engine.health().state());
        Reading next = readings.poll(5, TimeUnit.SECONDS);
        assertEquals(r.sequence() + 1, next.sequence());
        assertTrue(next.time().compareTo(r.time()) >= 0);
    }

    @Test
    public void parserSwapAppliesToTheRunningReader() throws Exception {
        start(Map.of("id", "gas", "port", "sim:gas?rate=100"));
        assertNotNull(readings.poll(5, TimeUnit.SECONDS));
        engine.pipeline(SensorEngine.Pipeline.of(new KvParserFactory().create(Map.of()), ChannelMapping.NONE));
        long errors = engine.statistics().parseErrors();
        waitFor("kv parser to reject dash lines", () -> engine.statistics().parseErrors() > errors + 3);
        assertTrue(engine.statistics().lastError().contains("MQ2-"));
        engine.pipeline(SensorEngine.Pipeline.broken("no parser named 'x'"));
        assertEquals(HealthState.FAILED, engine.health().state());
        assertEquals("no parser named 'x'", engine.health().reason());
        long dropped = engine.statistics().droppedLines();
        waitFor("lines dropped without a parser", () -> engine.statistics().droppedLines() > dropped + 3);
    }

    @Test
    public void aLineParsedToNothingIsNoReadingAndNoError() throws Exception {
        start(Map.of("id", "th", "port", "sim:th?rate=100"));
        assertNotNull(readings.poll(5, TimeUnit.SECONDS));
        engine.pipeline(SensorEngine.Pipeline.of(line -> Map.of(), ChannelMapping.NONE));
        long lines = engine.statistics().lines();
        waitFor("more lines", () -> engine.statistics().lines() > lines + 5);
        readings.clear();
        long more = engine.statistics().lines();
        waitFor("more lines", () -> engine.statistics().lines() > more + 5);
        assertTrue(readings.isEmpty());
        assertEquals(0, engine.statistics().parseErrors());
    }

    @Test
    public void boardCommandsAreSent() throws Exception {
        start(Map.of("id", "th", "port", "sim:th?rate=2"));
        waitFor("open", () -> engine.health().state() == HealthState.OPEN);
        engine.send("RATE 200");
        readings.clear();
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertNotNull(readings.poll(5, TimeUnit.SECONDS));
        }
        // 50 lines at the old rate of 2/s would take 25 s
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    public void missingProviderIsReportedAndPickedUpWhenItArrives() throws Exception {
        providers.remove("sim");
        start(Map.of("id", "th", "port", "sim:th?rate=50", "reconnectMax", 60000));
        waitFor("the reason", () -> engine.health().reason().contains("no port provider for scheme 'sim'"));
        assertEquals("at first it may still come", HealthState.STARTING, engine.health().state());
        providers.put("sim", new SimPortProvider());
        engine.kick();
        assertNotNull(readings.poll(5, TimeUnit.SECONDS));
    }

    @Test
    public void badPortUrlFailsWithTheReason() throws Exception {
        start(Map.of("id", "x", "port", "sim:nosuchboard"));
        waitFor("FAILED", () -> engine.health().state() == HealthState.FAILED);
        assertTrue(engine.health().reason(), engine.health().reason().contains("no simulated board 'nosuchboard'"));
    }

    @Test
    public void stopEndsTheReaderThread() throws Exception {
        start(Map.of("id", "stopme", "port", "sim:th?rate=0"));
        assertNotNull(readings.poll(5, TimeUnit.SECONDS));
        assertTrue(engine.readerAlive());
        engine.stop();
        assertFalse(engine.readerAlive());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("edgegate-serial-stopme")));
        assertEquals(HealthState.STOPPED, engine.health().state());
    }

    /** A read waits up to a second for a quiet board's data; a stop closes the port under it instead of waiting. */
    @Test
    public void stopClosesThePortUnderAWaitingRead() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean reading = new AtomicBoolean();
        providers.put("quiet", new PortProvider() {
            @Override
            public PortConnection open(String port, org.edgegate.api.sensor.PortSettings settings) {
                return port((b, off, len) -> {
                    reading.set(true);
                    try {
                        closed.await();                    // a read that returns only when the port closes
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    throw new IOException("port closed");
                }, closed::countDown);
            }

            @Override
            public List<PortDescription> ports() {
                return List.of();
            }
        });
        RecordingLog log = new RecordingLog();
        SensorSettings s = SensorSettings.from(Map.of("id", "quiet", "port", "quiet:dev"));
        engine = new SensorEngine(s, SensorEngine.Pipeline.of(new DashParserFactory().create(Map.of()),
                ChannelMapping.NONE), providers::get, readings::add, log);
        engine.start();
        waitFor("the reader waiting in its read", reading::get);
        assertTrue("the reader ended within the grace", engine.stop(60_000));
        assertFalse("closed by the stop itself, not by the abort after the grace: " + log.all,
                log.all.stream().anyMatch(m -> m.contains("did not stop")));
        assertEquals(HealthState.STOPPED, engine.health().state());
    }

    /** ser2net-style server: the reader connects, reads, notices the server going away and comes back. */
    @Test
    public void socketPortReconnectsToARestartedServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            start(Map.of("id", "tcp", "port", "socket://127.0.0.1:" + server.getLocalPort(), "reconnectMin", 50,
                    "reconnectMax", 200));
            try (Socket board = server.accept()) {
                OutputStream out = board.getOutputStream();
                out.write("T-25-H-60\r\nT--5.5-H-61\r\nT-2".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals(Map.of("T", 25L, "H", 60L), readings.poll(5, TimeUnit.SECONDS).values());
                assertEquals(Map.of("T", -5.5, "H", 61L), readings.poll(5, TimeUnit.SECONDS).values());
                // what the board sends is readable; the gateway can also send
                engine.send("PING");
                InputStream in = board.getInputStream();
                byte[] ping = in.readNBytes(5);
                assertEquals("PING\n", new String(ping, StandardCharsets.US_ASCII));
            }
            // the connect lands in the server's backlog at once: RECONNECTING may last less than a poll
            waitFor("RECONNECTING or reconnected", () -> engine.health().state() == HealthState.RECONNECTING
                    || engine.statistics().reconnects() >= 1);
            assertEquals("the partial line 'T-2' is dropped and counted", 1, engine.statistics().droppedLines());
            try (Socket board = server.accept()) {
                board.getOutputStream().write("T-26-H-62\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(Map.of("T", 26L, "H", 62L), readings.poll(5, TimeUnit.SECONDS).values());
                assertEquals(1, engine.statistics().reconnects());
                assertEquals(HealthState.OPEN, engine.health().state());
            }
        }
    }

    @Test
    public void silentDeviceIsReopenedByTheWatchdog() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            start(Map.of("id", "quiet", "port", "socket://127.0.0.1:" + server.getLocalPort(), "silenceTimeout", 300,
                    "reconnectMin", 50));
            try (Socket first = server.accept()) {
                first.getOutputStream().write("T-1-H-1\n".getBytes(StandardCharsets.US_ASCII));
                assertNotNull(readings.poll(5, TimeUnit.SECONDS));
                // the connection stays up but nothing more arrives: the watchdog closes and reopens
                server.setSoTimeout(5000);
                try (Socket second = server.accept()) {
                    second.getOutputStream().write("T-2-H-2\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals(2L, readings.poll(5, TimeUnit.SECONDS).values().get("T"));
                    assertEquals(1, engine.statistics().reconnects());
                }
            }
        }
    }

    /**
     * A port that jSerialComm closes under the reader, as its shutdown hook does on SIGTERM: the read
     * fails with "device error 11" before the framework has deactivated the sensor.
     */
    /** How a test port reads a block (the reader reads nothing else). */
    private interface BlockRead {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** A test port: reads as {@code read}, writes nowhere, runs {@code onClose} when closed. */
    private static PortConnection port(BlockRead read, Runnable onClose) {
        InputStream in = new InputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return read.read(b, off, len);
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }
        };
        return new PortConnection() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    private static final class ClosedUnderReader implements PortProvider {
        static final byte[] FAIL = new byte[0];
        final BlockingQueue<byte[]> device = new LinkedBlockingQueue<>();
        final AtomicInteger opens = new AtomicInteger();

        @Override
        public PortConnection open(String port, org.edgegate.api.sensor.PortSettings settings) {
            opens.incrementAndGet();
            return port((b, off, len) -> {
                byte[] chunk;
                try {
                    chunk = device.poll(20, TimeUnit.MILLISECONDS); // the port's read timeout
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                if (chunk == null) {
                    return 0;
                }
                if (chunk == FAIL) {
                    throw new IOException("device error 11 reading /dev/pts/0");
                }
                System.arraycopy(chunk, 0, b, off, chunk.length);
                return chunk.length;
            }, () -> { });
        }

        @Override
        public List<PortDescription> ports() {
            return List.of();
        }
    }

    private static final class RecordingLog implements SensorEngine.Log {
        final List<String> all = new CopyOnWriteArrayList<>();
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void info(String format, Object... arguments) {
            all.add("INFO " + ConnectorLog.format(format, arguments));
        }

        @Override
        public void warn(String format, Object... arguments) {
            String message = ConnectorLog.format(format, arguments);
            all.add("WARN " + message);
            warnings.add(message);
        }

        @Override
        public void debug(String format, Object... arguments) {
            all.add("DEBUG " + ConnectorLog.format(format, arguments));
        }
    }

    private SensorEngine startClosedUnder(ClosedUnderReader port, RecordingLog log, AtomicBoolean shuttingDown)
            throws InterruptedException {
        providers.put("closing", port);
        SensorSettings s = SensorSettings.from(Map.of("id", "pty", "port", "closing:dev", "reconnectMin", 50));
        engine = new SensorEngine(s, SensorEngine.Pipeline.of(new DashParserFactory().create(Map.of()),
                ChannelMapping.NONE), providers::get, readings::add, log, shuttingDown::get);
        engine.start();
        port.device.add("T-21-H-55\n".getBytes(StandardCharsets.US_ASCII));
        assertNotNull("the first reading", readings.poll(5, TimeUnit.SECONDS));
        return engine;
    }

    @Test
    public void portClosedUnderTheReaderAtShutdownIsNoFailureAndNotReopened() throws Exception {
        ClosedUnderReader port = new ClosedUnderReader();
        RecordingLog log = new RecordingLog();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        startClosedUnder(port, log, shuttingDown);
        shuttingDown.set(true);
        port.device.add(ClosedUnderReader.FAIL);
        waitFor("the reader to end", () -> !engine.readerAlive());
        engine.stop(); // the framework deactivates the sensor after the port was closed under it
        assertEquals("no warning at shutdown: " + log.all, List.of(), log.warnings);
        assertFalse("nothing RECONNECTING at shutdown: " + log.all,
                log.all.stream().anyMatch(m -> m.contains("RECONNECTING")));
        assertEquals("the port is not reopened", 1, port.opens.get());
        assertEquals(0, engine.statistics().reconnects());
        assertEquals(HealthState.STOPPED, engine.health().state());
    }

    /** The same read error while the gateway runs is a lost device: reported, and the port reopened. */
    @Test
    public void sameReadErrorWhileRunningIsReportedAndReopened() throws Exception {
        ClosedUnderReader port = new ClosedUnderReader();
        RecordingLog log = new RecordingLog();
        startClosedUnder(port, log, new AtomicBoolean());
        port.device.add(ClosedUnderReader.FAIL);
        waitFor("the port reopened", () -> port.opens.get() == 2);
        assertTrue(log.all.toString(), log.warnings.stream()
                .anyMatch(m -> m.contains("RECONNECTING - read failed: device error 11")));
    }

    @Test
    public void noShutdownInProgressWhileTestsRun() {
        assertFalse(SensorEngine.jvmShuttingDown());
    }
}
