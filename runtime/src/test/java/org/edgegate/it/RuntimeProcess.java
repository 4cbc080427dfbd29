package org.edgegate.it;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the assembled runtime run as an operator runs it: {@code bin/edgegate} with no terminal, every
 * port of its {@code etc/} moved to a free one ({@link FreePorts}), driven with {@code bin/edgegate-cli}.
 * Make it, adjust {@link #home()} (etc/, deploy/), then {@link #start()}; {@link #close()} kills it if
 * still running.
 */
final class RuntimeProcess implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path console;
    private final int httpPort;
    private Process gateway;

    /** A copy of the runtime under {@code target/it/<name>-<random>/edgegate}. */
    RuntimeProcess(String name) throws IOException {
        home = GatewayTestSupport.WORK.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath().resolve("edgegate");
        copyTree(GatewayTestSupport.DIST, home);
        // Free ports for HTTP and the ZeroMQ endpoints, as an operator would edit etc/: others run tests beside.
        FreePorts.rewrite(home.resolve("etc"));
        TestLogin.install(home.resolve("etc"));       // no password is shipped: the tests' login (issue 19)
        httpPort = Integer.parseInt(property(home.resolve("etc/config.properties"), "org.osgi.service.http.port"));
        console = home.resolve("console.out");
    }

    private static String property(Path file, String key) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        }
        return properties.getProperty(key);
    }

    Path home() {
        return home;
    }

    int httpPort() {
        return httpPort;
    }

    Process process() {
        return gateway;
    }

    /** Starts {@code bin/edgegate} and waits until {@code edgegate-cli gw:status} answers. */
    RuntimeProcess start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/edgegate").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        gateway = builder.start();
        GatewayTestSupport.await("the gateway answering edgegate-cli", TIMEOUT, () -> {
            if (!gateway.isAlive()) {
                throw new AssertionError("the gateway exited early:\n" + consoleText());
            }
            return cli("gw:status").status() == 0;
        });
        return this;
    }

    record Result(int status, String output) {
    }

    /** Runs {@code bin/edgegate-cli} with this command line (killed after 30 s: status -1). */
    Result cli(String... command) {
        List<String> line = new ArrayList<>();
        line.add(home.resolve("bin/edgegate-cli").toString());
        line.addAll(List.of(command));
        Command.Result r = Command.run(Duration.ofSeconds(30), null, Map.of("JAVA_HOME", System.getProperty("java.home")),
                null, line);
        return new Result(r.timedOut() ? -1 : r.status(), r.output());
    }

    /**
     * {@code lb -s}, asked again while it raced an uninstall: Felix's {@code lb} lists the bundles, then asks each
     * one's start level, and fails ("Bundle is uninstalled") for one uninstalled in between.
     */
    Result bundles() {
        Result lb = cli("lb", "-s");
        for (int i = 0; i < 10 && lb.status() != 0 && lb.output().contains("Bundle is uninstalled"); i++) {
            lb = cli("lb", "-s");
        }
        return lb;
    }

    String consoleText() {
        try {
            return Files.readString(console);
        } catch (IOException e) {
            return "(no console output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Copies a folder, keeping permissions (the scripts stay executable). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (source.startsWith(from.resolve("data")) && !source.equals(from.resolve("data"))) {
                    continue; // a runtime started from target/ leaves its cache and logs there
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
