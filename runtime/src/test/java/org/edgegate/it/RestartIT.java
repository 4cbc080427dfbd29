package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * What an operator configured is there after a restart, wherever it was configured (an {@code etc/} file,
 * Gogo through {@code bin/edgegate-cli}, the Web Console), and only that: a file deleted while the gateway
 * was stopped takes its configuration with it, and a copied installation ({@code cp -a}) runs its own bundles
 * and writes only its own {@code etc/}. The real {@code bin/edgegate}, stopped with SIGTERM.
 */
public class RestartIT {
    private static final String CONSOLE_USER = "admin";
    /** Set by the test in each home's etc/ (no password is shipped), as {sha-256} of the password. */
    private static final String CONSOLE_PASSWORD = "restart-it-Login";
    private static final String CONSOLE_FILE = "etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg";
    private static final String SENSOR_FILE = "etc/org.edgegate.serial.sensor-%s.cfg";

    private final List<RuntimeProcess> gateways = new ArrayList<>();

    @After
    public void stopAll() throws Exception {
        for (RuntimeProcess g : gateways) {
            g.close();
        }
    }

    @Test
    public void whatWasConfiguredInEtcGogoAndTheWebConsoleAndTheStateSurviveARestart() throws Exception {
        RuntimeProcess gateway = gateway("RestartIT-all");
        Path home = gateway.home();
        Files.writeString(home.resolve(String.format(SENSOR_FILE, "filed")), "id = filed\nport = sim:gas?rate=5\n");
        gateway.start();
        awaitSensor(gateway, "filed");
        ok(gateway.cli("gw:sensor", "add", "gogo", "sim:th?rate=5"));
        ok(gateway.cli("gw:set", "restart/answer", "42"));

        // The Web Console's Save of the demo camera: 25 fps -> 10, in the running camera and in its file.
        consolePost(gateway, "org.edgegate.camera~demo", "apply=true&factoryPid=org.edgegate.camera"
                + "&propertylist=id,source,width,height,fps,enabled&id=demo&source=pattern:&width=480&height=320"
                + "&fps=10&enabled=true");
        Path demoFile = home.resolve("etc/org.edgegate.camera-demo.cfg");
        GatewayTestSupport.await("fps = 10 in " + demoFile, RuntimeProcess.TIMEOUT, () -> fps(demoFile) == 10.0);
        // A camera the Web Console creates: a file of its own, named after its id.
        consolePost(gateway, "[Temporary PID replaced by real PID upon save]", "apply=true&factoryPid=org.edgegate.camera"
                + "&propertylist=id,source,fps&id=front&source=pattern:&fps=5");
        Path frontFile = home.resolve("etc/org.edgegate.camera-front.cfg");
        GatewayTestSupport.await(frontFile + " written", RuntimeProcess.TIMEOUT, () -> fps(frontFile) == 5.0);
        assertTrue("the Gogo sensor has its file", Files.isRegularFile(home.resolve(String.format(SENSOR_FILE, "gogo"))));
        awaitCamera(gateway, "demo", "@ 10.00 fps");

        stop(gateway);
        assertEquals("the file keeps the Web Console's change after the stop", 10.0, fps(demoFile), 0.0);
        gateway.start();

        awaitCamera(gateway, "demo", "@ 10.00 fps");
        awaitCamera(gateway, "front", "@ 5.000 fps");
        awaitSensor(gateway, "filed");
        awaitSensor(gateway, "gogo");
        RuntimeProcess.Result state = gateway.cli("gw:get", "restart/answer");
        assertEquals(state.output(), "42", state.output().trim());
        JsonArray cameras = json(gateway, "gw:cameras", "--json");
        assertEquals("each camera once: " + cameras, 2, cameras.size());
    }

    @Test
    public void aConfigurationWhoseFileWasDeletedWhileStoppedIsGoneAfterTheStart() throws Exception {
        RuntimeProcess gateway = gateway("RestartIT-deleted");
        Path filed = gateway.home().resolve(String.format(SENSOR_FILE, "gone"));
        Files.writeString(filed, "id = gone\nport = sim:gas?rate=5\n");
        gateway.start();
        awaitSensor(gateway, "gone");
        ok(gateway.cli("gw:sensor", "add", "gogogone", "sim:th?rate=5"));
        Path gogoFile = gateway.home().resolve(String.format(SENSOR_FILE, "gogogone"));
        GatewayTestSupport.await(gogoFile + " written", RuntimeProcess.TIMEOUT, () -> Files.isRegularFile(gogoFile));

        stop(gateway);
        Files.delete(filed);
        Files.delete(gogoFile);
        gateway.start();
        awaitSensor(gateway, "th"); // the shipped ones are back: the configurations have been applied
        awaitSensor(gateway, "gas");
        String sensors = gateway.cli("gw:sensors").output();
        assertFalse("deleted while stopped, gone after the start:\n" + sensors, sensors.contains("gone"));
        assertFalse("and its file stays deleted", Files.exists(filed) || Files.exists(gogoFile));
    }

    @Test
    public void aCopiedInstallationRunsItsOwnBundlesAndWritesOnlyItsOwnEtc() throws Exception {
        RuntimeProcess original = gateway("RestartIT-original");
        original.start();
        ok(original.cli("gw:sensor", "add", "before", "sim:th?rate=5"));
        stop(original);
        Path originalEtc = original.home().resolve("etc");
        List<String> originalFiles = listing(originalEtc);

        // cp -a into the home of a second runtime (its own copy of the distribution replaced by the copy).
        RuntimeProcess copy = gateway("RestartIT-copy");
        run("rm", "-rf", copy.home().toString());
        run("cp", "-a", original.home().toString(), copy.home().toString());
        copy.start();
        awaitSensor(copy, "before");
        String lb = copy.cli("lb", "-l").output();
        for (String line : lb.lines().filter(l -> l.contains("file:")).toList()) {
            assertTrue("every bundle from the copy's own folder: " + line,
                    line.contains("file:" + copy.home().toRealPath() + "/"));
        }
        assertFalse("no duplicate bundles:\n" + copy.consoleText(), copy.consoleText().contains("not unique"));

        ok(copy.cli("gw:sensor", "add", "copied", "sim:th?rate=5"));
        ok(copy.cli("gw:sensor", "remove", "th"));
        Path copyEtc = copy.home().resolve("etc");
        GatewayTestSupport.await("the copy's etc/ changed", RuntimeProcess.TIMEOUT,
                () -> Files.exists(copyEtc.resolve("org.edgegate.serial.sensor-copied.cfg"))
                        && !Files.exists(copyEtc.resolve("org.edgegate.serial.sensor-th.cfg")));
        assertEquals("the original's etc/ untouched", originalFiles, listing(originalEtc));
    }

    /** A runtime copy (every port of its etc/ moved to a free one by RuntimeProcess) with a console login. */
    private RuntimeProcess gateway(String name) throws Exception {
        RuntimeProcess gateway = new RuntimeProcess(name);
        gateways.add(gateway);
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(CONSOLE_PASSWORD.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(gateway.home().resolve(CONSOLE_FILE),
                "username = " + CONSOLE_USER + "\npassword = {sha-256}" + hash + "\n");
        return gateway;
    }

    private static void stop(RuntimeProcess gateway) throws InterruptedException {
        gateway.process().destroy(); // SIGTERM
        assertTrue("stops after SIGTERM", gateway.process().waitFor(RuntimeProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    private static void ok(RuntimeProcess.Result result) {
        assertEquals(result.output(), 0, result.status());
    }

    private static JsonArray json(RuntimeProcess gateway, String... command) {
        RuntimeProcess.Result r = gateway.cli(command);
        ok(r);
        JsonElement parsed = JsonParser.parseString(r.output());
        return parsed.getAsJsonArray();
    }

    private static void awaitSensor(RuntimeProcess gateway, String id) {
        GatewayTestSupport.await("sensor " + id + " OPEN", RuntimeProcess.TIMEOUT, () -> {
            for (JsonElement s : json(gateway, "gw:sensors", "--json")) {
                if (s.getAsJsonObject().get("id").getAsString().equals(id)) {
                    return "OPEN".equals(s.getAsJsonObject().get("state").getAsString());
                }
            }
            return false;
        });
    }

    private static void awaitCamera(RuntimeProcess gateway, String id, String reason) {
        GatewayTestSupport.await("camera " + id + " " + reason, RuntimeProcess.TIMEOUT, () -> {
            for (JsonElement c : json(gateway, "gw:cameras", "--json")) {
                if (c.getAsJsonObject().get("id").getAsString().equals(id)) {
                    return c.getAsJsonObject().get("reason").getAsString().contains(reason);
                }
            }
            return false;
        });
    }

    /** The fps a .cfg file gives (File Install reads numbers written as text), -1 when it has none. */
    private static double fps(Path file) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
            String fps = p.getProperty("fps");
            return fps == null ? -1 : Double.parseDouble(fps.replaceAll("^[A-Za-z]?\"|\"$", ""));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A Web Console configuration form sent as the browser sends it on Save. */
    private static void consolePost(RuntimeProcess gateway, String pid, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                        + "/system/console/configMgr/" + pid.replace(" ", "%20").replace("[", "%5B").replace("]", "%5D")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (CONSOLE_USER + ":" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.replace(":", "%3A")))
                .timeout(RuntimeProcess.TIMEOUT).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() + " " + response.body(), response.statusCode() == 200 || response.statusCode() == 302);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                names.add(f.getFileName() + " " + (Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.ISO_8859_1).hashCode() : 0));
            }
            return names;
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(String.join(" ", command), p.waitFor(RuntimeProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(String.join(" ", command), 0, p.exitValue());
    }
}
