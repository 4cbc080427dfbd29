package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * EdgeGate installed into a real Apache Karaf 4.4.10 (the distribution from Maven Central, a test
 * dependency) from our features repository, as an operator with an existing Karaf would: untarred,
 * started on free loopback ports, {@code feature:repo-add}, {@code feature:install} of the core and every
 * optional feature; every EdgeGate bundle Active, a {@code sim:} sensor's reading in the state through
 * {@code gw:get}, the dashboard and /metrics answering. Our own bundles are not in a Maven repository
 * (the build never installs), so the repository given to Karaf is features.xml with their mvn: URLs
 * pointing at the jars of the assembled runtime; the libraries come from Maven as written.
 */
public class KarafIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(15));
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Path FEATURES = Path.of(System.getProperty("edgegate.features", "../features/target/feature/feature.xml"));
    private static final String VERSION = System.getProperty("karaf.version", "4.4.10");
    private static final Path KARAF_TAR = Path.of(System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"), "org/apache/karaf/apache-karaf", VERSION,
            "apache-karaf-" + VERSION + ".tar.gz");
    /** Felix platform bundles Karaf provides itself (or its own equivalents: its etc/ write-back for ours). */
    private static final Set<String> KARAF_PROVIDES = Set.of("org.apache.felix.configadmin", "org.apache.felix.eventadmin",
            "org.apache.felix.fileinstall", "org.edgegate.etc", "org.apache.felix.gogo.command",
            "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.shell", "org.apache.felix.scr",
            "org.osgi.service.component", "org.osgi.util.function", "org.osgi.util.promise");

    private Path karaf;
    private int ssh;
    private int http;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Before
    public void untarAndStart() throws Exception {
        assertTrue("the Karaf distribution (a test dependency of runtime/) at " + KARAF_TAR, Files.isRegularFile(KARAF_TAR));
        Path work = GatewayTestSupport.WORK.resolve("KarafIT-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(work);
        run(work, "tar", "xzf", KARAF_TAR.toString());
        karaf = work.resolve("apache-karaf-" + VERSION);
        http = GatewayTestSupport.freePort();
        Path etc = karaf.resolve("etc");
        // Free loopback ports for SSH, JMX (every port of Karaf's etc/) and our HTTP server; the karaf user
        // enabled for bin/client.
        FreePorts.rewrite(etc);
        Matcher sshPort = Pattern.compile("(?m)^sshPort\\s*=\\s*(\\d+)").matcher(Files.readString(etc.resolve("org.apache.karaf.shell.cfg")));
        assertTrue("sshPort in Karaf's org.apache.karaf.shell.cfg", sshPort.find());
        ssh = Integer.parseInt(sshPort.group(1));
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1");
        replace(etc.resolve("users.properties"), "(?m)^#karaf = ", "karaf = ");
        replace(etc.resolve("users.properties"), "(?m)^#_g_", "_g_");
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = " + http + "\norg.apache.felix.http.host = 127.0.0.1\n");
        // Libraries from Maven's local repository the build filled (then Central).
        String repo = KARAF_TAR.getParent().getParent().getParent().getParent().getParent().getParent().toString();
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), Files.readString(etc.resolve("org.ops4j.pax.url.mvn.cfg"))
                + "\norg.ops4j.pax.url.mvn.localRepository = " + repo + "\n");
        // What an operator drops into etc/: a simulated board, the console's login.
        Files.writeString(etc.resolve("org.edgegate.serial.sensor-th.cfg"), "id = th\nport = sim:th?rate=5\nparser = dash\n");
        TestLogin.install(etc);
        run(karaf, karaf.resolve("bin/start").toString());
        GatewayTestSupport.await("Karaf's shell answering", TIMEOUT, () -> client("bundle:list -s -t 0").contains("org.apache.karaf.shell.core"));
    }

    @After
    public void stop() throws Exception {
        if (karaf == null) {
            return;
        }
        run(karaf, karaf.resolve("bin/stop").toString());
        Path pid = karaf.resolve("karaf.pid");
        if (Files.exists(pid)) {
            long p = Long.parseLong(Files.readString(pid).trim());
            ProcessHandle.of(p).ifPresent(h -> {
                try {
                    h.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }

    @Test
    public void installsRunsAndServes() throws Exception {
        Path features = testFeatures();
        String added = client("feature:repo-add " + features.toUri());
        assertTrue(added, !added.contains("Error"));
        // -r: no refresh of Karaf's own bundles (which would restart the shell under this very session).
        // every feature the project ships: a new optional bundle is installed here the day it gets a feature
        List<String> featureNames = featureNamesOf(Files.readString(FEATURES));
        assertTrue(featureNames.toString(), featureNames.contains("edgegate") && featureNames.size() > 5);
        String installed = client("feature:install -r " + String.join(" ", featureNames));
        assertTrue(installed, !installed.contains("Error") && !installed.contains("Unable"));

        // Every EdgeGate bundle those features list, Active.
        int expected = edgegateBundlesOf(Files.readString(FEATURES), featureNames).size();
        GatewayTestSupport.await("the " + expected + " org.edgegate bundles Active", TIMEOUT, () -> {
            List<String> ours = client("bundle:list -s -t 0").lines().filter(l -> l.contains("org.edgegate.")).toList();
            return ours.size() == expected && ours.stream().allMatch(l -> l.contains("Active"));
        });
        // A sim: sensor's reading in the state, through our Gogo command.
        // (Karaf's client in batch mode prints what a command writes, not what it returns: hence echo.)
        GatewayTestSupport.await("sensor/th/T in the state (gw:get)", TIMEOUT,
                () -> client("echo (gw:get sensor/th/T)").trim().matches("-?\\d+"));
        String status = client("echo (gw:status)");
        // gw:status's health table: the line of sensor th, open ("KIND ID STATE SINCE REASON").
        assertTrue(status, Pattern.compile("(?m)^sensor +th +OPEN +\\S+").matcher(status).find());
        // The dashboard and /metrics answering on our Jetty 12.
        GatewayTestSupport.await("the dashboard", TIMEOUT, () -> {
            HttpResponse<String> r = get("/system/console/edgegate");
            return r != null && r.statusCode() == 200 && r.body().contains("edgegate-dashboard");
        });
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains("edgegate_sensor_lines_total{sensor=\"th\"}"));
    }

    /** The names of the features the features XML defines, in its order. */
    static List<String> featureNamesOf(String xml) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<feature name=\"([^\"]+)\"").matcher(xml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The distinct EdgeGate artifacts the named features list in the features XML (each feature's own bundles). */
    static Set<String> edgegateBundlesOf(String xml, List<String> featureNames) {
        Set<String> artifacts = new TreeSet<>();
        Pattern bundle = Pattern.compile("<bundle[^>]*>mvn:org\\.edgegate/([^/]+)/");
        // split at each named feature: the nested <feature>x</feature> references carry no name
        for (String part : xml.split("<feature name=\"")) {
            String name = part.substring(0, Math.max(0, part.indexOf('"')));
            if (featureNames.contains(name)) {
                Matcher m = bundle.matcher(part);
                while (m.find()) {
                    artifacts.add(m.group(1));
                }
            }
        }
        return artifacts;
    }

    /** features.xml with our bundles' mvn: URLs turned into the assembled runtime's jars; checks it lists them all. */
    private Path testFeatures() throws IOException {
        String xml = Files.readString(FEATURES);
        Path dist = GatewayTestSupport.DIST.toAbsolutePath();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> b = Files.list(dist.resolve("bundle")); Stream<Path> p = Files.list(dist.resolve("plugins"))) {
            jars.addAll(b.toList());
            jars.addAll(p.toList());
        }
        Set<String> missing = new TreeSet<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            String bsn = GatewayTestSupport.symbolicName(jar);
            if (bsn != null && KARAF_PROVIDES.contains(bsn)) {
                continue;
            }
            Matcher ours = Pattern.compile("(edgegate-[a-z-]+?)(-\\d.*)?\\.jar").matcher(name);
            if (ours.matches()) {
                String url = "mvn:org.edgegate/" + ours.group(1) + "/";
                Matcher inXml = Pattern.compile(Pattern.quote(url) + "[^<]+").matcher(xml);
                if (!inXml.find()) {
                    missing.add(name);
                }
                xml = inXml.replaceAll(jar.toUri().toString());
            } else {
                String artifact = name.replaceAll("-\\d[\\w.-]*\\.jar$", "");
                if (!xml.contains("/" + artifact + "/")) {
                    missing.add(name);
                }
            }
        }
        assertEquals("jars of the runtime in no feature of " + FEATURES, Set.of(), missing);
        Path out = karaf.resolveSibling("edgegate-features.xml");
        Files.writeString(out, xml);
        return out;
    }

    /** One command through {@code bin/client} in batch mode (commands on standard input), at most 300 s. */
    private String client(String command) {
        try {
            Path in = Files.createTempFile(karaf.getParent(), "cmd", ".txt");
            Files.writeString(in, command + "\n");
            return run(karaf, in, karaf.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a", Integer.toString(ssh),
                    "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "1", "-b");
        } catch (IOException e) {
            return "Error: " + e;
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                    .header("Authorization", TestLogin.basic())
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void replace(Path file, String regex, String replacement) throws IOException {
        String before = Files.readString(file);
        String after = before.replaceAll(regex, replacement);
        if (before.equals(after)) {
            throw new IllegalStateException(regex + " not found in " + file);
        }
        Files.writeString(file, after);
    }

    /** Runs a program in a folder with JAVA_HOME set; its output (stdout and stderr), within 300 s. */
    private static String run(Path dir, String... command) throws IOException {
        return run(dir, Path.of("/dev/null"), command);
    }

    private static String run(Path dir, Path input, String... command) throws IOException {
        Command.Result r = Command.run(Duration.ofSeconds(300), dir, Map.of("JAVA_HOME", System.getProperty("java.home")),
                Files.readAllBytes(input), List.of(command));
        return r.output();
    }
}
