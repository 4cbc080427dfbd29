package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * The Debian package as an operator installs it, on this machine (root, as CI runs): {@code dpkg -i}, the unit
 * checked with {@code systemd-analyze verify}, the unit's ExecStart started as user {@code edgegate} (no
 * systemd runs here), {@code edgegate-cli} used by a member of group {@code edgegate} and refused to others,
 * nothing under {@code /etc/edgegate} or {@code /var/lib/edgegate} readable by others, then {@code dpkg -r}
 * (configuration kept) and {@code dpkg --purge} (configuration and data gone). The package is purged
 * whatever happens; a lock file keeps two such tests on one machine apart.
 */
public class DebianPackageIT {
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;
    private static final Path TARGET = GatewayTestSupport.DIST.toAbsolutePath().getParent();
    private static final Path UNIT = Path.of("/lib/systemd/system/edgegate.service");
    private static final Path ETC = Path.of("/etc/edgegate");
    private static final Path DATA = Path.of("/var/lib/edgegate");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FileChannel lockFile;
    private final String member = "egit" + UUID.randomUUID().toString().substring(0, 6);
    private Process gateway;
    private Path console;

    @Before
    public void exclusive() throws IOException {
        Assume.assumeTrue("dpkg needs root", "root".equals(System.getProperty("user.name")));
        lockFile = FileChannel.open(Path.of("/tmp/edgegate-debian-package-it.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        lockFile.lock(); // until this test is done: another build's DebianPackageIT waits here
        run(List.of("dpkg", "--purge", "edgegate")); // a package left by a test that was killed
    }

    @After
    public void purge() throws Exception {
        try {
            if (gateway != null && gateway.isAlive()) {
                gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            run(List.of("dpkg", "--purge", "edgegate"));
            run(List.of("userdel", member));
        } finally {
            if (lockFile != null) {
                lockFile.close();
            }
        }
    }

    @Test
    public void installRunAsItsOwnUserRemoveAndPurge() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.list(TARGET)) {
            deb = files.filter(f -> f.getFileName().toString().matches("edgegate_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no edgegate_*_all.deb in " + TARGET + " (mvn package)"));
        }
        ok(List.of("dpkg", "-i", deb.toString()));
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            run(List.of("systemctl", "stop", "edgegate.service")); // started by postinst: the test runs its own
        }
        Result verify = run(List.of("systemd-analyze", "verify", UNIT.toString()));
        assertEquals("systemd-analyze verify " + UNIT + ":\n" + verify.output, 0, verify.status);
        String unit = Files.readString(UNIT);
        for (String line : List.of("User=edgegate", "UMask=0027", "NoNewPrivileges=true", "ProtectSystem=strict",
                "ProtectHome=true", "PrivateTmp=true", "Restart=on-failure", "SupplementaryGroups=dialout video")) {
            assertTrue(line + " in the unit", unit.lines().anyMatch(line::equals));
        }
        String groups = ok(List.of("id", "-nG", "edgegate"));
        assertTrue("edgegate in dialout and video: " + groups, groups.contains("dialout") && groups.contains("video"));

        // Others' tests run beside: every port of the installed etc/ moved to a free one.
        FreePorts.rewrite(ETC);
        Path config = ETC.resolve("config.properties");

        startAsTheUnitDoes(unit);
        ok(List.of("useradd", "--no-create-home", "--groups", "edgegate", member));
        GatewayTestSupport.await("gw:status through edgegate-cli as a member of group edgegate", TIMEOUT, () -> {
            if (!gateway.isAlive()) {
                throw new AssertionError("the gateway exited:\n" + consoleText());
            }
            return run(List.of("runuser", "-u", member, "--", "/usr/bin/edgegate-cli", "gw:status")).status == 0;
        });
        // answering comes before the framework has finished its start levels ("framework STARTING")
        Result[] status = new Result[1];
        try {
            GatewayTestSupport.await("gw:status All OK", TIMEOUT, () -> {
                status[0] = run(List.of("runuser", "-u", member, "--", "/usr/bin/edgegate-cli", "gw:status"));
                return status[0].output.contains("All OK");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ":\n" + status[0].output, e);
        }
        Result stranger = run(List.of("runuser", "-u", "nobody", "--", "/usr/bin/edgegate-cli", "gw:status"));
        assertEquals("refused to others: " + stranger.output, 2, stranger.status);

        noShippedPasswordTheGeneratedOneAndEdgegatePasswd(config);

        String readable = ok(List.of("find", ETC.toString(), DATA.toString(), "/var/log/edgegate", "!", "-type", "l",
                "-perm", "-o=r"));
        assertEquals("readable by others", "", readable.trim());
        assertTrue("the log where journald or /var/log/edgegate keeps it",
                Files.size(Path.of("/var/log/edgegate/edgegate.log")) > 0);

        gateway.destroy(); // SIGTERM, as systemctl stop
        assertTrue(gateway.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        ok(List.of("dpkg", "-r", "edgegate"));
        assertFalse("the program is gone", Files.exists(Path.of("/usr/share/edgegate/bin/edgegate")));
        assertTrue("dpkg -r keeps the configuration", Files.isRegularFile(config));
        ok(List.of("dpkg", "--purge", "edgegate"));
        assertFalse("--purge removes /etc/edgegate", Files.exists(ETC));
        assertFalse("--purge removes /var/lib/edgegate", Files.exists(DATA));
    }

    /**
     * Issue 19 as a packaged operator meets it: the old shipped admin/edgegate gets 401, the password the
     * first start generated (in /var/lib/edgegate, for its owner only) logs in, and /usr/bin/edgegate-passwd
     * (stdin) replaces it, run by root and by user edgegate, leaving a file the service can still read.
     */
    private void noShippedPasswordTheGeneratedOneAndEdgegatePasswd(Path config) throws Exception {
        int port = Integer.parseInt(value(Files.readString(config), "org.osgi.service.http.port").trim());
        Path initial = DATA.resolve("initial-password");
        GatewayTestSupport.await("the generated password in " + initial, TIMEOUT, () -> Files.exists(initial));
        assertEquals("edgegate", Files.getOwner(initial).getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(initial)));
        String generated = Files.readString(initial).trim();
        GatewayTestSupport.awaitLogin("the generated password logs in", TIMEOUT,
                () -> status(port, "/metrics", "admin", generated));
        assertEquals(200, status(port, "/system/console/bundles", "admin", generated));
        assertEquals("shipped admin/edgegate", 401, status(port, "/metrics", "admin", "edgegate"));
        assertEquals("shipped admin/edgegate", 401, status(port, "/system/console/bundles", "admin", "edgegate"));

        Path consoleFile = ETC.resolve(TestLogin.FILE);
        String old = generated;
        for (List<String> asWhom : List.of(List.<String>of(), List.of("runuser", "-u", "edgegate", "--"))) {
            String fresh = "deb-" + UUID.randomUUID();
            List<String> command = new ArrayList<>(asWhom);
            command.add("/usr/bin/edgegate-passwd");
            Result set = run(command, fresh + "\n");
            assertEquals(String.join(" ", command) + ":\n" + set.output, 0, set.status);
            assertFalse("the shown password is gone with it", Files.exists(initial));
            assertEquals("the service still owns " + consoleFile, "edgegate", Files.getOwner(consoleFile).getName());
            GatewayTestSupport.awaitLogin("the password set by " + command + " logs in", TIMEOUT,
                    () -> status(port, "/metrics", "admin", fresh));
            assertEquals("the one before no longer", 401, status(port, "/metrics", "admin", old));
            old = fresh;
        }
    }

    /** The HTTP status of a GET with this Basic login; -1 when nothing answers (not yet listening). */
    private static int status(int port, String path, String user, String password) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", TestLogin.basic(user, password)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The unit's ExecStart in its WorkingDirectory and environment, as its User with its UMask. */
    private void startAsTheUnitDoes(String unit) throws IOException {
        String execStart = value(unit, "ExecStart");
        String directory = value(unit, "WorkingDirectory");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=edgegate", "--regid=edgegate",
                "--init-groups", "--no-new-privs", "--"));
        command.addAll(List.of("sh", "-c", "umask " + value(unit, "UMask") + " && exec " + execStart));
        console = Files.createTempFile("edgegate-deb-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(directory))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        unit.lines().filter(l -> l.startsWith("Environment=")).forEach(l -> {
            String assignment = l.substring("Environment=".length()).replaceAll("^\"|\"$", "");
            int eq = assignment.indexOf('=');
            builder.environment().put(assignment.substring(0, eq), assignment.substring(eq + 1));
        });
        gateway = builder.start();
    }

    private static String value(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in the unit"));
    }

    private String consoleText() {
        try {
            return Files.readString(console);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private record Result(int status, String output) {
    }

    private static String ok(List<String> command) {
        Result r = run(command);
        assertEquals(String.join(" ", command) + ":\n" + r.output, 0, r.status);
        return r.output;
    }

    /** Runs a command, its output into a file (so the deadline holds whatever it prints). */
    private static Result run(List<String> command) {
        return run(command, null);
    }

    /** Runs a command with this text on its stdin (null: none), as root's JAVA_HOME. */
    private static Result run(List<String> command, String input) {
        try {
            Path out = Files.createTempFile("edgegate-deb-cmd-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                if (input == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process p = builder.start();
                if (input != null) {
                    try (OutputStream in = p.getOutputStream()) {
                        in.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, Files.readString(out) + "\n(timed out)");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
