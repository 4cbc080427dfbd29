package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.LineParserFactory;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The serial bundle in the assembled runtime, against real pseudo-terminals made by socat and opened
 * by jSerialComm, a TCP server for socket://, and the demo etc/ on simulated boards. Figures (lines/s,
 * latency) are printed, never asserted.
 */
@ExamReactorStrategy(PerClass.class)
public class SerialIT extends GatewayTestSupport {
    private static final String PID = "org.edgegate.serial.sensor";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private StateService state;

    @Inject
    private CommandProcessor gogo;

    private SocatPty pty() throws Exception {
        return new SocatPty(home().resolve("pty")).start();
    }

    private Sensor sensor(String id) {
        return awaitService(Sensor.class, "(id=" + id + ")", WAIT);
    }

    private Sensor awaitOpen(String id) {
        Sensor s = sensor(id);
        await(id + " OPEN", WAIT, () -> s.health().state() == HealthState.OPEN);
        return s;
    }

    private Optional<Object> value(String key) {
        return state.get(key).map(StateEntry::value);
    }

    private Configuration sensorConfig(String id, Object... keyValues) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("id", id);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return createFactoryConfiguration(PID, id, props);
    }

    private static Thread readerThread(String id) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("edgegate-serial-" + id)).findFirst().orElse(null);
    }

    /** Warms jSerialComm up (its native library loads on first use), so timings measure the gateway. */
    private void loadJSerialComm() {
        awaitService(PortProvider.class, "(" + PortProvider.SCHEME + "=serial)", WAIT).ports();
    }

    @Test
    public void demoConfigurationReadsTheSimulatedBoards() {
        Sensor th = awaitOpen("th");
        await("sensor/th/temperature", WAIT, () -> value("sensor/th/temperature").isPresent());
        await("sensor/gas/smoke", WAIT, () -> value("sensor/gas/smoke").isPresent());
        Reading r = awaitValue("a reading of th", WAIT, () -> th.lastReading().orElse(null));
        assertEquals("°C", r.units().get("temperature"));
        assertEquals("%", r.units().get("humidity"));
        assertTrue(r.raw(), r.raw().matches("T-\\d+-H-\\d+"));
    }

    /** What the Web Console's Configuration tab shows: every key, named and described. */
    @Test
    public void metatypeDescribesEveryKey() {
        MetaTypeInformation info = awaitService(MetaTypeService.class)
                .getMetaTypeInformation(bundleNamed("org.edgegate.serial"));
        assertTrue(Arrays.asList(info.getFactoryPids()).contains(PID));
        ObjectClassDefinition ocd = info.getObjectClassDefinition(PID, null);
        List<String> keys = new ArrayList<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            keys.add(ad.getID());
            assertFalse(ad.getID(), ad.getName().isBlank() || ad.getDescription().isBlank());
        }
        assertEquals(List.of("id", "port", "baud", "dataBits", "parity", "stopBits", "flowControl", "parser",
                "parser.regex", "parser.columns", "parser.delimiter", "parser.separator", "channels", "terminator",
                "charset", "maxLineLength", "silenceTimeout", "reconnectMin", "reconnectMax"), keys);
    }

    @Test
    public void configurationCreatedChangedAndDeleted() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            long t0 = System.nanoTime();
            Configuration c = sensorConfig("board1", "port", pty.device().toString(), "baud", 115200, "parser", "dash");
            Sensor s = awaitOpen("board1");
            pty.write("T-25-H-60\r\n");
            await("T-25-H-60 in the state", DEFAULT_TIMEOUT, () -> value("sensor/board1/H").isPresent());
            System.out.printf("SerialIT: configuration created -> first reading in state: %.1f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            assertEquals(25L, value("sensor/board1/T").get());
            assertEquals(60L, value("sensor/board1/H").get());
            Thread reader = readerThread("board1");
            Bundle serial = bundleNamed("org.edgegate.serial");
            long bundleState = serial.getLastModified();

            // a mapping: applied to the open port, same reader thread
            updateConfiguration(c, Map.of("id", "board1", "port", pty.device().toString(), "parser", "dash",
                    "channels", "T:temperature:°C:1:-0.5, H:humidity:%"));
            await("the mapping applied", WAIT, () -> {
                writeQuietly(pty, "T--5.5-H-61\r\n");
                return value("sensor/board1/temperature").isPresent();
            });
            assertEquals(-6L, value("sensor/board1/temperature").get());
            assertEquals(61L, value("sensor/board1/humidity").get());
            assertEquals("°C", s.lastReading().get().units().get("temperature"));

            // another parser, still the same reader and port
            updateConfiguration(c, Map.of("id", "board1", "port", pty.device().toString(), "parser", "kv"));
            await("the kv parser applied", WAIT, () -> {
                writeQuietly(pty, "t=1 h=2\r\n");
                return value("sensor/board1/t").isPresent();
            });
            assertSame("the port was not reopened", reader, readerThread("board1"));
            assertEquals(0, s.statistics().reconnects());
            assertEquals(Bundle.ACTIVE, serial.getState());
            assertEquals(bundleState, serial.getLastModified());
            assertEquals(1, pty.openDescriptors());

            // a second sensor on the same port finds it busy and keeps retrying
            Configuration other = sensorConfig("board1b", "port", pty.device().toString(), "reconnectMin", 100,
                    "reconnectMax", 400);
            Sensor second = sensor("board1b");
            await("board1b RECONNECTING (busy)", WAIT, () -> second.health().state() == HealthState.RECONNECTING);
            assertTrue(second.health().reason(), second.health().reason().contains("cannot open"));

            // deleted: the reader ends and the port is closed ...
            deleteConfiguration(c);
            await("the reader thread to end", WAIT, () -> readerThread("board1") == null);
            // ... so the waiting sensor gets it on its own
            await("board1b OPEN", WAIT, () -> second.health().state() == HealthState.OPEN);
            assertEquals(1, pty.openDescriptors());
            pty.write("T-7-H-8\n");
            await("the other sensor reads", WAIT, () -> value("sensor/board1b/T").isPresent());
            deleteConfiguration(other);
            await("board1b's reader to end", WAIT, () -> readerThread("board1b") == null);
        }
    }

    @Test
    public void tenThousandLinesNoneLost() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            Configuration c = sensorConfig("bulk", "port", pty.device().toString());
            Sensor s = awaitOpen("bulk");
            int n = 10_000;
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                lines.append("N-").append(i).append("-T--").append(i % 50).append(".5\r\n");
            }
            byte[] bytes = lines.toString().getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            OutputStream board = pty.board();
            // as fast as the pty takes them: a full pty blocks this write, it does not drop
            for (int off = 0; off < bytes.length; off += 4096) {
                board.write(bytes, off, Math.min(4096, bytes.length - off));
            }
            board.flush();
            await("10,000 lines counted", Duration.ofSeconds(60), () -> s.statistics().lines() >= n);
            long nanos = System.nanoTime() - t0;
            await("the last line in state", WAIT, () -> Long.valueOf(n).equals(value("sensor/bulk/N").orElse(null)));
            SensorStatistics st = s.statistics();
            assertEquals(n, st.lines());
            assertEquals(0, st.parseErrors());
            assertEquals(0, st.droppedLines());
            assertEquals(bytes.length, st.bytes());
            assertEquals(n, s.lastReading().get().sequence());
            System.out.printf("SerialIT: %d lines (%d bytes) over one pty in %.0f ms: %.0f lines/s into the state%n",
                    n, bytes.length, nanos / 1e6, n / (nanos / 1e9));
            deleteConfiguration(c);
            await("reader gone", WAIT, () -> threadCount("edgegate-serial-bulk") == 0);
        }
    }

    /** Lines/s one pty sustains for a few seconds (a pty has no baud rate: this measures the gateway). */
    @Test
    public void sustainedLinesPerSecond() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            Configuration c = sensorConfig("rate", "port", pty.device().toString(),
                    "channels", "T:temperature:°C, H:humidity:%");
            Sensor s = awaitOpen("rate");
            int n = 300_000;
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                text.append("T-").append(20 + i % 10).append("-H-").append(40 + i % 30).append("\r\n");
            }
            byte[] block = text.toString().getBytes(StandardCharsets.US_ASCII);
            OutputStream board = pty.board();
            long t0 = System.nanoTime();
            for (int i = 0; i < n / 1000; i++) {
                board.write(block);
            }
            board.flush();
            await(n + " lines counted", Duration.ofSeconds(120), () -> s.statistics().lines() >= n);
            long nanos = System.nanoTime() - t0;
            SensorStatistics st = s.statistics();
            assertEquals(n, st.lines());
            assertEquals(0, st.parseErrors() + st.droppedLines());
            System.out.printf("SerialIT: sustained %d lines (%d bytes, 2 channels each, mapped) over one pty in %.0f ms:"
                    + " %.0f lines/s, %.1f MB/s%n", n, (long) n / 1000 * block.length, nanos / 1e6, n / (nanos / 1e9),
                    (double) n / 1000 * block.length / (nanos / 1e3));
            deleteConfiguration(c);
            await("reader gone", WAIT, () -> threadCount("edgegate-serial-rate") == 0);
        }
    }

    /** Line written on the board's end -> entry visible in the StateService, one line at a time. */
    @Test
    public void lineToStateLatency() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            Configuration c = sensorConfig("lat", "port", pty.device().toString());
            awaitOpen("lat");
            int samples = 300;
            long[] micros = new long[samples];
            for (int i = 1; i <= samples + 20; i++) {
                Long expected = (long) i;
                long t0 = System.nanoTime();
                pty.write("L-" + i + "\n");
                while (!expected.equals(value("sensor/lat/L").orElse(null))) {
                    if (System.nanoTime() - t0 > 5_000_000_000L) {
                        throw new AssertionError("line " + i + " did not reach the state in 5 s");
                    }
                    LockSupport.parkNanos(20_000); // polls without taking a core from the reader
                }
                if (i > 20) { // the first ones warm the JIT up
                    micros[i - 21] = (System.nanoTime() - t0) / 1000;
                }
            }
            Arrays.sort(micros);
            System.out.printf("SerialIT: line -> state latency over %d lines: median %d us, p90 %d us, p99 %d us, max %d us%n",
                    samples, micros[samples / 2], micros[samples * 9 / 10], micros[samples * 99 / 100],
                    micros[samples - 1]);
            deleteConfiguration(c);
            await("reader gone", WAIT, () -> threadCount("edgegate-serial-lat") == 0);
        }
    }

    @Test
    public void unplugAndReplug() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            Configuration c = sensorConfig("plug", "port", pty.device().toString(), "reconnectMin", 100,
                    "reconnectMax", 400);
            Sensor s = awaitOpen("plug");
            pty.write("T-20-H-50\n");
            await("a first reading", WAIT, () -> Long.valueOf(20).equals(value("sensor/plug/T").orElse(null)));
            long bytes = s.statistics().bytes();
            pty.write("T-2"); // unplugged in the middle of a line
            await("the partial line read", WAIT, () -> s.statistics().bytes() == bytes + 3);

            pty.kill();
            await("RECONNECTING", WAIT, () -> s.health().state() == HealthState.RECONNECTING);
            assertFalse(s.health().reason().isEmpty());
            // Several failed reopen attempts against the missing path: each one sets a new reason (its next
            // delay, 100, 200, 400 ms less jitter; since stays the time RECONNECTING began), and it stays
            // RECONNECTING all along.
            List<HealthState> seen = new CopyOnWriteArrayList<>();
            java.util.Set<String> attempts = new java.util.HashSet<>();
            await("failed reopens while unplugged", WAIT, () -> {
                seen.add(s.health().state());
                attempts.add(s.health().reason());
                return attempts.size() >= 3;
            });
            assertTrue("RECONNECTING while unplugged: " + seen, seen.stream().allMatch(h -> h == HealthState.RECONNECTING));
            assertEquals("one reader thread while unplugged", 1, threadCount("edgegate-serial-plug"));

            pty.start();
            await("OPEN again on its own", WAIT, () -> s.health().state() == HealthState.OPEN);
            await("readings resume", WAIT, () -> {
                writeQuietly(pty, "T-21-H-51\n");
                return Long.valueOf(21).equals(value("sensor/plug/T").orElse(null));
            });
            assertEquals(1, s.statistics().reconnects());
            assertEquals("the partial line was dropped and counted", 1, s.statistics().droppedLines());
            assertEquals("no thread leaked", 1, threadCount("edgegate-serial-plug"));
            assertEquals(1, pty.openDescriptors());
            deleteConfiguration(c);
            await("reader gone", WAIT, () -> threadCount("edgegate-serial-plug") == 0);
        }
    }

    @Test
    public void noiseNeverStopsTheReader() throws Exception {
        loadJSerialComm();
        List<Long> seen = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>(Map.of(ReadingListener.SENSOR_ID, "noisy"));
        ServiceRegistration<ReadingListener> listener = context.registerService(ReadingListener.class,
                r -> seen.add((Long) r.values().get("V")), props);
        try (SocatPty pty = pty()) {
            Configuration c = sensorConfig("noisy", "port", pty.device().toString(), "maxLineLength", 64);
            Sensor s = awaitOpen("noisy");
            Random random = new Random(7);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int valid = 0;
            int malformed = 0;
            int overlong = 0;
            for (int i = 0; i < 500; i++) {
                stream.writeBytes(("V-" + valid++ + "\n").getBytes(StandardCharsets.US_ASCII));
                switch (i % 5) {
                    case 0 -> { // binary noise: one line that is not key-value
                        stream.write('x');
                        for (int b = 0; b < 40; b++) {
                            int x = random.nextInt(256);
                            stream.write(x == '\n' || x == '\r' || x == '-' ? '#' : x);
                        }
                        stream.write('\n');
                        malformed++;
                    }
                    case 1 -> { // an overlong line
                        stream.writeBytes(("V-" + "9".repeat(200) + "\n").getBytes(StandardCharsets.US_ASCII));
                        overlong++;
                    }
                    case 2 -> { // NULs in a line, and a line of NULs only (blank: ignored)
                        stream.writeBytes("V-1\0\0-x\n\0\0\0\n".getBytes(StandardCharsets.ISO_8859_1));
                        malformed++;
                    }
                    case 3 -> { // malformed dash lines
                        stream.writeBytes("V-\nV-1-W\n".getBytes(StandardCharsets.US_ASCII));
                        malformed += 2;
                    }
                    default -> { }
                }
            }
            OutputStream board = pty.board();
            board.write(stream.toByteArray());
            board.flush();
            int expectedValid = valid;
            await("every valid line", WAIT, () -> seen.size() >= expectedValid);
            List<Long> expected = new ArrayList<>();
            for (long v = 0; v < valid; v++) {
                expected.add(v);
            }
            assertEquals(expected, seen);
            SensorStatistics st = s.statistics();
            assertEquals(malformed, st.parseErrors());
            assertEquals(overlong, st.droppedLines());
            assertEquals(valid + malformed, st.lines());
            assertEquals(HealthState.OPEN, s.health().state());
            assertEquals(1, threadCount("edgegate-serial-noisy"));
            // and it still reads
            pty.write("V-424242\n");
            await("a line after the noise", WAIT, () -> seen.contains(424242L));
            deleteConfiguration(c);
            await("reader gone", WAIT, () -> threadCount("edgegate-serial-noisy") == 0);
        } finally {
            listener.unregister();
        }
    }

    @Test
    public void socketPortAgainstATcpServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis()); // a sensor that never connects fails the test, not the build
            Configuration c = sensorConfig("tcp", "port", "socket://127.0.0.1:" + server.getLocalPort(),
                    "parser", "csv", "parser.columns", "T,H,MQ2", "reconnectMin", 100);
            try (Socket board = server.accept()) {
                Sensor s = awaitOpen("tcp");
                board.getOutputStream().write("-3.5,40,120\r\n".getBytes(StandardCharsets.US_ASCII));
                await("csv over TCP", WAIT, () -> value("sensor/tcp/MQ2").isPresent());
                assertEquals(-3.5, value("sensor/tcp/T").get());
                s.send("READ");
                InputStream in = board.getInputStream();
                assertEquals("READ\n", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
            }
            Sensor s = sensor("tcp");
            await("RECONNECTING after the server closed", WAIT, () -> s.health().state() != HealthState.OPEN);
            try (Socket board = server.accept()) {
                await("OPEN again", WAIT, () -> s.health().state() == HealthState.OPEN);
                board.getOutputStream().write("1,2,3\n".getBytes(StandardCharsets.US_ASCII));
                await("reads again", WAIT, () -> Long.valueOf(3).equals(value("sensor/tcp/MQ2").orElse(null)));
                deleteConfiguration(c);
                await("reader gone", WAIT, () -> threadCount("edgegate-serial-tcp") == 0);
            }
        }
    }

    @Test
    public void gogoCommands() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = gogo.createSession(InputStream.nullInputStream(), print, print);
        try {
            Object added = session.execute("gw:sensor add cmd 'sim:th?rate=20'");
            assertTrue(String.valueOf(added), String.valueOf(added).contains("sensor cmd added"));
            await("cmd readings", WAIT, () -> value("sensor/cmd/T").isPresent());
            IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                    () -> session.execute("gw:sensor add cmd sim:gas"));
            assertTrue(again.getMessage(), again.getMessage().contains("exists already"));
            IllegalArgumentException usage = assertThrows(IllegalArgumentException.class,
                    () -> session.execute("gw:sensor add onlyanid"));
            assertTrue(usage.getMessage(), usage.getMessage().contains("gw:sensor add <sensor id> <port>"));

            String sensors = String.valueOf(session.execute("gw:sensors"));
            String line = sensors.lines().filter(l -> l.startsWith("cmd ")).findFirst().orElse("");
            assertTrue(sensors, line.contains("sim:th?rate=20") && line.contains("OPEN") && line.contains("T="));
            String json = String.valueOf(session.execute("gw:sensors --json"));
            assertTrue(json, json.contains("{\"id\":\"cmd\",\"port\":\"sim:th?rate=20\",\"state\":\"OPEN\"")
                    && json.matches("(?s).*\"values\":\\{\"T\":-?[0-9].*"));

            String ports = String.valueOf(session.execute("gw:ports"));
            assertTrue(ports, ports.contains("sim:gas") && ports.contains("socket://"));

            // the simulated board takes RATE: 200 lines/s instead of 20
            Sensor s = sensor("cmd");
            String sent = String.valueOf(session.execute("gw:sensor send cmd RATE 200"));
            assertTrue(sent, sent.contains("sent to cmd"));
            long before = s.statistics().lines();
            await("the faster rate", WAIT, () -> s.statistics().lines() > before + 100);

            assertTrue(String.valueOf(session.execute("gw:sensor add --help")).contains("<port>"));
            String help = String.valueOf(session.execute("help"));
            assertTrue(help, help.contains("gw:sensor") && help.contains("gw:sensors"));
            String addHelp = String.valueOf(session.execute("help gw:sensor"));
            assertTrue(addHelp, addHelp.contains("add <sensor id> <port> [<baud rate>] [<parser>] - add a sensor")
                    && addHelp.contains("remove <sensor id>") && addHelp.contains("send <sensor id> <text...>"));
            assertTrue(String.valueOf(session.execute("gw:sensor remove cmd")).contains("removed"));
            await("cmd's reader gone", WAIT, () -> threadCount("edgegate-serial-cmd") == 0);
            assertThrows(IllegalArgumentException.class, () -> session.execute("gw:sensor remove cmd"));
        } finally {
            session.close();
        }
    }

    @Test
    public void wrongConfigurationFailsAloneWithAReason() throws Exception {
        Configuration bad = sensorConfig("bad", "port", "sim:th", "parser", "regex");
        Sensor s = sensor("bad");
        await("FAILED", WAIT, () -> s.health().state() == HealthState.FAILED);
        assertTrue(s.health().reason(), s.health().reason().contains("parser.regex"));
        Configuration unknown = sensorConfig("nope", "port", "sim:th?rate=20", "parser", "morse");
        Sensor n = sensor("nope");
        // STARTING while parsers may still be registering, then FAILED
        await("FAILED", WAIT, () -> n.health().state() == HealthState.FAILED);
        assertTrue(n.health().reason(), n.health().reason().contains("parser morse not available"));
        // the parser arrives (as from a bundle dropped into deploy/): picked up without touching the sensor
        Dictionary<String, Object> name = new Hashtable<>(Map.of(LineParserFactory.NAME, "morse"));
        ServiceRegistration<LineParserFactory> morse = context.registerService(LineParserFactory.class,
                options -> line -> Map.of("length", (long) line.length()), name);
        await("the morse parser used", WAIT, () -> value("sensor/nope/length").isPresent());
        assertEquals(HealthState.OPEN, n.health().state());
        morse.unregister();
        await("FAILED again without it", WAIT, () -> n.health().state() == HealthState.FAILED);
        // fixed in place: it recovers
        updateConfiguration(bad, Map.of("id", "bad", "port", "sim:th?rate=50", "parser", "regex",
                "parser.regex", "T-(?<t>\\d+)"));
        await("the fixed sensor reads", WAIT, () -> value("sensor/bad/t").isPresent());
        assertEquals(HealthState.OPEN, s.health().state());
        awaitOpen("th"); // the others were not disturbed
        deleteConfiguration(bad);
        deleteConfiguration(unknown);
    }

    /**
     * A hundred create/delete cycles, every other one on a real pty through jSerialComm, leak no thread
     * and no file descriptor.
     */
    @Test
    public void hundredCyclesLeakNothing() throws Exception {
        loadJSerialComm();
        try (SocatPty pty = pty()) {
            long threadsBefore = Thread.getAllStackTraces().size();
            for (int i = 0; i < 100; i++) {
                // a new name each time: File Install mirrors configurations into etc/ files, asynchronously
                String id = "cycle" + i;
                Configuration c = sensorConfig(id, "port", i % 2 == 0 ? pty.device().toString() : "sim:gas?rate=0");
                awaitOpen(id);
                deleteConfiguration(c);
                await(id + " reader gone", WAIT, () -> threadCount("edgegate-serial-cycle") == 0);
            }
            await("the port closed", WAIT, () -> openDescriptorsQuietly(pty) == 0);
            long threadsAfter = Thread.getAllStackTraces().size();
            assertTrue("threads before " + threadsBefore + ", after " + threadsAfter, threadsAfter <= threadsBefore + 2);
        }
    }

    private static void writeQuietly(SocatPty pty, String text) {
        try {
            pty.write(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long openDescriptorsQuietly(SocatPty pty) {
        try {
            return pty.openDescriptors();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
