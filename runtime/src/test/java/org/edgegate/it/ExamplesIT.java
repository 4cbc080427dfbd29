package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.state.StateService;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/**
 * Every file of the shipped {@code examples/etc/} dropped into {@code etc/} as its README says, each with its
 * device swapped for one the test owns (a socat pty playing the board, a TCP board for {@code socket://}, an MJPG
 * .avi for a camera, a test Mosquitto, a folder for the frame files), and nothing else changed: each loads through
 * File Install and reaches its documented state (sensors OPEN with the board's values in the state, cameras OPEN
 * with frames, the broker OPEN with readings arriving, every camera's frame file written). A new example without a
 * device swap here fails the test.
 */
@ExamReactorStrategy(PerClass.class)
public class ExamplesIT extends GatewayTestSupport {
    private static final Duration T = Duration.ofSeconds(90);
    private static final Path EXAMPLES = DIST.resolve("examples/etc");
    /** What each example board prints, by sensor id, and a state key and value it must give. */
    private static final Map<String, String[]> BOARDS = Map.of(
            "th", new String[] { "T-25-H-60\r\n", "sensor/th/temperature", "25" },
            "gas", new String[] { "MQ2-123-L-456-MQ9-789\r\n", "sensor/gas/smoke", "123" },
            "th9600", new String[] { "T-21-H-55-MQ2-300\r\n", "sensor/th9600/smoke", "300" },
            "air", new String[] { "{\"t\":21.5,\"h\":40,\"pm25\":7}\n", "sensor/air/pm25", "7" },
            "remote-th", new String[] { "T-19-H-45\n", "sensor/remote-th/humidity", "45" });

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final AtomicBoolean boardsOn = new AtomicBoolean(true);

    @Override
    protected boolean includeEtcFile(String name) {
        // the demo sensors use the examples' ids th and gas: removed, as the examples' README says
        return !name.startsWith("org.edgegate.serial.sensor-");
    }

    @After
    public void tearDown() throws Exception {
        boardsOn.set(false);
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private static String key(String text, String key) {
        return text.lines().filter(l -> l.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*"))
                .map(l -> l.substring(l.indexOf('=') + 1).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in " + text));
    }

    private static String replace(String text, String key, String value) {
        String out = text.replaceFirst("(?m)^" + java.util.regex.Pattern.quote(key) + "\\s*=.*$",
                java.util.regex.Matcher.quoteReplacement(key + " = " + value));
        assertTrue("the example has a " + key + " line", !out.equals(text) || text.contains(key + " = " + value));
        return out;
    }

    /** Writes the board's line again and again (a board printing readings), on a thread of its own. */
    private void feed(String id, OutputStream out) {
        String line = BOARDS.get(id)[0];
        Thread t = new Thread(() -> {
            try {
                while (boardsOn.get()) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100); // the board's own pace: ten lines a second
                }
            } catch (IOException | InterruptedException stopped) {
                // the port or the test went away
            }
        }, "examples-board-" + id);
        t.setDaemon(true);
        t.start();
    }

    /** A serial-over-TCP server (as ser2net) serving one board to whoever connects. */
    private int tcpBoard(String id) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        cleanup.add(server);
        List<Socket> clients = new CopyOnWriteArrayList<>();
        cleanup.add(() -> {
            for (Socket s : clients) {
                s.close();
            }
        });
        Thread t = new Thread(() -> {
            try {
                while (boardsOn.get()) {
                    Socket s = server.accept();
                    clients.add(s);
                    feed(id, s.getOutputStream());
                }
            } catch (IOException closed) {
                // the test ended
            }
        }, "examples-tcp-board-" + id);
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private Health health(String kind, String id) {
        try {
            for (ServiceReference<Monitored> r : context.getServiceReferences(Monitored.class, "(id=" + id + ")")) {
                Monitored m = context.getService(r);
                try {
                    if (m != null && m.kind().equals(kind)) {
                        return m.health();
                    }
                } finally {
                    context.ungetService(r);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    private void awaitOpen(String kind, String id) {
        await(kind + " " + id + " OPEN (now " + health(kind, id) + ")", T,
                () -> health(kind, id) != null && health(kind, id).state() == HealthState.OPEN);
    }

    @Test
    public void everyShippedExampleLoadsAndReachesItsDocumentedState() throws Exception {
        Path work = home().resolve("examples-it");
        Mosquitto broker = Mosquitto.started(work.resolve("broker"));
        cleanup.add(broker);
        MqttCollector collector = new MqttCollector(broker.uri(), "examples-it", false, "edgegate/+/sensor/+");
        cleanup.add(collector);
        Path clip = Videos.write(work.resolve("clips"), "clip.avi", 480, 320, 25);
        Path shm = work.resolve("shm");

        Map<String, String> sensors = new LinkedHashMap<>(); // file -> sensor id
        List<String> cameras = new ArrayList<>();
        List<String> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg")).sorted().toList();
        }
        assertTrue("examples in " + EXAMPLES + ": " + files, files.size() >= 10);
        String brokerId = null;
        String shmId = null;
        for (String name : files) {
            String text = Files.readString(EXAMPLES.resolve(name), StandardCharsets.ISO_8859_1);
            String id = key(text, "id");
            if (name.startsWith("org.edgegate.serial.sensor-")) {
                assertTrue("a board for sensor " + id + " (" + name + ")", BOARDS.containsKey(id));
                String port = key(text, "port");
                if (port.startsWith("socket://")) {
                    text = replace(text, "port", "socket://127.0.0.1:" + tcpBoard(id));
                } else {
                    SocatPty pty = new SocatPty(work.resolve("ptys")).start();
                    cleanup.add(pty);
                    feed(id, pty.board());
                    text = replace(text, "port", pty.device().toString());
                }
                sensors.put(name, id);
            } else if (name.startsWith("org.edgegate.camera-")) {
                text = replace(text, "source", clip.toString());
                cameras.add(id);
            } else if (name.startsWith("org.edgegate.mqtt.broker-")) {
                text = replace(text, "uri", broker.uri());
                brokerId = id;
            } else if (name.startsWith("org.edgegate.shm.frames-")) {
                text = replace(text, "dir", shm.toString());
                shmId = id;
            } else {
                throw new AssertionError("no device swap for the example " + name + ": add one to ExamplesIT");
            }
            Files.writeString(home().resolve("etc").resolve(name), text, StandardCharsets.ISO_8859_1);
        }

        StateService state = awaitService(StateService.class);
        for (String id : sensors.values()) {
            awaitOpen("sensor", id);
            String[] board = BOARDS.get(id);
            await(board[1] + " = " + board[2], T, () -> state.get(board[1])
                    .map(e -> String.valueOf(e.value()).replaceAll("\\.0$", "").equals(board[2])).orElse(false));
        }
        for (String id : cameras) {
            awaitOpen("camera", id);
            Camera camera = awaitService(Camera.class, "(id=" + id + ")", T);
            long seq = awaitValue(id + " frames", T, () -> camera.latest().map(f -> f.sequence()).orElse(null));
            await(id + " frames moving", T, () -> camera.latest().orElseThrow().sequence() > seq);
        }
        assertTrue("a broker example", brokerId != null);
        awaitOpen("mqtt", brokerId);
        await("readings of every example sensor at the broker", T, () -> sensors.values().stream()
                .allMatch(id -> collector.messages().stream().anyMatch(m -> m.topic().endsWith("/sensor/" + id))));
        assertTrue("a shm example", shmId != null);
        awaitOpen("shm", shmId);
        for (String id : cameras) {
            await(id + ".frames written", T, () -> Files.isRegularFile(shm.resolve(id + ".frames")));
        }
        String status = gogo("gw:status");
        for (String id : sensors.values()) {
            assertTrue(status, status.lines().anyMatch(l -> l.matches("sensor +" + java.util.regex.Pattern.quote(id)
                    + " +OPEN.*")));
        }
        assertEquals("every board of the table used by an example", BOARDS.keySet(),
                new java.util.HashSet<>(sensors.values()));
    }
}
