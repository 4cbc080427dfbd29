package org.edgegate.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for a test: Debian's {@code /usr/sbin/mosquitto} on a free loopback port, with a config
 * file written by the test ({@code listener <port> 127.0.0.1}, anonymous by default, its log on stderr), ready
 * when it logs "running". {@link #stop()} and {@link #start()} again keep the port (an outage).
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final List<String> extra;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Process process;

    /**
     * @param dir a folder of the test's own for the config, logs and persistence
     * @param extra further config lines (e.g. {@code password_file ...}); without {@code allow_anonymous},
     *        anonymous clients are allowed
     */
    public Mosquitto(Path dir, List<String> extra) {
        this.dir = dir;
        this.port = GatewayTestSupport.freePort();
        this.extra = List.copyOf(extra);
    }

    public static Mosquitto started(Path dir, String... extra) throws IOException {
        Mosquitto m = new Mosquitto(dir, List.of(extra));
        m.start();
        return m;
    }

    public static String executable() {
        for (String candidate : new String[] { "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto" }) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: run ./test (it installs Debian's mosquitto)");
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public synchronized void start() throws IOException {
        Files.createDirectories(dir);
        List<String> config = new ArrayList<>();
        config.add("listener " + port + " 127.0.0.1");
        if (extra.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
            config.add("allow_anonymous true");
        }
        if (extra.stream().noneMatch(l -> l.startsWith("persistence"))) {
            config.add("persistence false");
        }
        config.add("log_dest stderr");
        config.add("log_type error");
        config.add("log_type warning");
        config.add("log_type notice");
        config.add("log_type information");
        config.add("max_queued_messages 100000");
        if ("root".equals(System.getProperty("user.name"))) {
            config.add("user root"); // else it drops to the mosquitto user, who cannot read the test's files
        }
        config.addAll(extra);
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, config, StandardCharsets.UTF_8);
        log.clear();
        process = new ProcessBuilder(executable(), "-c", file.toString()).redirectErrorStream(true).start();
        Process p = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.add(line);
                }
            } catch (IOException ended) {
                // the broker stopped
            }
        }, "mosquitto-log-" + port);
        reader.setDaemon(true);
        reader.start();
        GatewayTestSupport.await("mosquitto running on port " + port, Duration.ofSeconds(20), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("mosquitto exited: " + String.join("\n", log));
            }
            return log.stream().anyMatch(l -> l.contains("running"));
        });
    }

    /** Stops the broker (SIGTERM: with persistence on it saves its database). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs a command (mosquitto_pub, openssl ...) to completion; fails with its output when it fails. */
    public static String run(Path dir, String... command) {
        Command.Result r = Command.run(Duration.ofSeconds(60), dir, List.of(command));
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + r.status() + "): " + r.output());
        }
        return r.output();
    }
}
