package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * The assembled runtime as an operator runs it: {@code bin/edgegate} started with no terminal, driven
 * with {@code bin/edgegate-cli}, a bundle hot-deployed through {@code deploy/}, stopped with SIGTERM.
 * A plain JUnit test (no Pax Exam): the gateway is a separate process.
 */
public class RuntimeProcessIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;
    private static final String TEST_BSN = "org.edgegate.it.hello";

    private RuntimeProcess gateway;
    private Path home;
    private SocatPty board;

    @Before
    public void start() throws Exception {
        gateway = new RuntimeProcess("RuntimeProcessIT");
        home = gateway.home();
        // A sensor on a real serial port (a socat pty through jSerialComm), for what SIGTERM does to it.
        board = new SocatPty(home.resolveSibling("pty")).start();
        Files.writeString(home.resolve("etc/org.edgegate.serial.sensor-pty.cfg"),
                "id = pty\nport = " + board.device() + "\nparser = dash\n");
        gateway.start();
    }

    @After
    public void stopIfStillRunning() throws Exception {
        gateway.close();
        if (board != null) {
            board.close();
        }
    }

    @Test
    public void setGetHotDeployAndStop() throws Exception {
        RuntimeProcess.Result set = gateway.cli("gw:set", "a/b", "5");
        assertEquals(set.output(), 0, set.status());
        RuntimeProcess.Result get = gateway.cli("gw:get", "a/b");
        assertEquals(get.output(), 0, get.status());
        assertEquals("5", get.output().trim());

        RuntimeProcess.Result unknown = gateway.cli("no:such-command");
        assertTrue("a failed command exits non-zero", unknown.status() != 0);

        // Hot deploy: copied in -> installed and started; replaced -> updated; removed -> uninstalled.
        Path deployed = home.resolve("deploy/hello.jar");
        dropBundle(deployed, "1.0.0");
        GatewayTestSupport.await(TEST_BSN + " 1.0.0 ACTIVE", TIMEOUT, () -> bundleLine().contains("Active")
                && bundleLine().contains("1.0.0"));
        dropBundle(deployed, "1.0.1");
        GatewayTestSupport.await(TEST_BSN + " updated to 1.0.1", TIMEOUT, () -> bundleLine().contains("Active")
                && bundleLine().contains("1.0.1"));
        Files.delete(deployed);
        GatewayTestSupport.await(TEST_BSN + " uninstalled", TIMEOUT, () -> bundleLine().isEmpty());

        GatewayTestSupport.await("the pty sensor's reading in the state", TIMEOUT, () -> {
            try {
                board.write("T-21-H-55\n");
            } catch (IOException e) {
                throw new AssertionError("cannot write to the pty", e);
            }
            return gateway.cli("gw:get", "sensor/pty/T").output().trim().equals("21");
        });

        // SIGTERM: every bundle stops (the CLI socket is removed, the state is written) and the JVM exits.
        int runningLog = gateway.consoleText().length();
        gateway.process().destroy();
        assertTrue("exits within the deadline after SIGTERM", gateway.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        int exit = gateway.process().exitValue();
        assertTrue("exit status " + exit + " (0, or 143 = terminated by SIGTERM after a clean shutdown)",
                exit == 0 || exit == 143);
        assertFalse("the CLI socket is removed on a clean stop", Files.exists(home.resolve("data/cli.sock")));
        String text = gateway.consoleText();
        assertTrue("the framework stopped its bundles:\n" + text, text.contains("BundleEvent STOPPED"));
        assertTrue("the log file was written", Files.size(home.resolve("data/log/edgegate.log")) > 0);
        // jSerialComm closes its ports in its own shutdown hook, before the framework stops the sensor:
        // that is no lost device to report and reopen.
        String shutdown = text.substring(Math.min(runningLog, text.length()));
        assertFalse("no RECONNECTING at shutdown:\n" + shutdown, shutdown.contains("RECONNECTING"));
        assertFalse("no warning at shutdown:\n" + shutdown, shutdown.contains(" WARN "));
    }

    /**
     * The ZeroMQ contexts' threads run in Linux's SCHED_BATCH (docs/zmq.md, JeroMQ's signal race): JNA, an optional
     * import of the zmq bundle, is wired in the real framework. No other thread does, the sensor's reader included.
     */
    @Test
    public void zeroMqContextThreadsRunInBatchSchedulingNoOtherDoes() throws Exception {
        GatewayTestSupport.await("the pty sensor OPEN", TIMEOUT,
                () -> gateway.cli("gw:sensors").output().lines().anyMatch(l -> l.startsWith("pty ") && l.contains("OPEN")));
        // each endpoint's context (native and state): its I/O thread and reaper; the endpoints' own threads not
        Map<String, List<String>> policies = GatewayTestSupport.awaitValue("4 threads in SCHED_BATCH", TIMEOUT, () -> {
            Map<String, List<String>> now = threadPolicies();
            return now.getOrDefault("3", List.of()).size() == 4 ? now : null;
        });
        assertTrue(policies.toString(), policies.get("3").stream().allMatch(n -> n.startsWith("edgegate-zmq-")));
        assertTrue(policies.toString(), policies.getOrDefault("0", List.of()).contains("edgegate-serial"));
    }

    /** The gateway's threads by scheduling policy (field 41 of each task's stat; 0 normal, 3 batch), by name. */
    private Map<String, List<String>> threadPolicies() {
        Map<String, List<String>> policies = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(gateway.process().pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                policies.computeIfAbsent(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[38], p -> new ArrayList<>())
                        .add(Files.readString(task.resolve("comm")).trim());
            }
        } catch (IOException e) { // a thread that ended while listed: asked again
            return Map.of();
        }
        return policies;
    }

    /** The `lb -s` line of the test bundle, or "" when it is not installed. */
    private String bundleLine() {
        RuntimeProcess.Result lb = gateway.bundles();
        assertEquals(lb.output(), 0, lb.status());
        return lb.output().lines().filter(l -> l.contains(TEST_BSN)).findFirst().orElse("");
    }

    /** A bundle with a manifest only, written aside then moved in, as a deployment tool would. */
    private static void dropBundle(Path target, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", TEST_BSN);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "EdgeGate hot-deploy test bundle");
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(temporary), manifest)) {
            out.flush();
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

}
