package org.edgegate.it;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A real clustered MQTT broker for a test: Debian's {@code nats-server} (2.9), three nodes on loopback, each with
 * JetStream (its MQTT needs it: retained messages and QoS 1 sessions live in streams, here replicated to all three)
 * and an MQTT listener, on free ports. A node can be killed with SIGKILL and started again on the same ports and
 * store, as a crashed machine comes back.
 */
final class NatsCluster implements AutoCloseable {
    static final String EXECUTABLE = "/usr/sbin/nats-server";

    /** One node: its ports, config, store and process. */
    final class Node {
        final String name;
        final int clientPort = GatewayTestSupport.freePort();
        final int routePort = GatewayTestSupport.freePort();
        final int mqttPort = GatewayTestSupport.freePort();
        final int httpPort = GatewayTestSupport.freePort();
        private Process process;

        Node(String name) {
            this.name = name;
        }

        String uri() {
            return "tcp://127.0.0.1:" + mqttPort;
        }

        Process process() {
            return process;
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        private Path config() {
            return dir.resolve(name + ".conf");
        }

        private Path log() {
            return dir.resolve(name + ".log");
        }

        private void write() throws IOException {
            List<String> routes = new ArrayList<>();
            for (Node n : nodes) {
                if (n != this) {
                    routes.add("\"nats-route://127.0.0.1:" + n.routePort + "\"");
                }
            }
            Files.writeString(config(), String.join("\n",
                    "server_name: " + name,
                    "listen: 127.0.0.1:" + clientPort,
                    "http: 127.0.0.1:" + httpPort,
                    "jetstream { store_dir: \"" + dir.resolve(name + "-store") + "\", max_mem: 64MB, max_file: 1GB }",
                    "cluster { name: edgegate-it, listen: 127.0.0.1:" + routePort + ", routes: ["
                            + String.join(", ", routes) + "] }",
                    // every MQTT stream and consumer on all three nodes: one node's loss keeps a quorum of two
                    "mqtt { listen: 127.0.0.1:" + mqttPort + ", stream_replicas: 3, consumer_replicas: 3 }",
                    ""), StandardCharsets.UTF_8);
        }

        void start() throws IOException {
            process = new ProcessBuilder(EXECUTABLE, "-c", config().toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        }

        /** SIGKILL: no goodbye to clients or peers, as a node losing power. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        /** /healthz answers ok (the node serves, its JetStream assets are current) and it lets an MQTT client in. */
        boolean healthy() {
            if (!alive()) {
                return false;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/healthz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("ok") && mqttAnswers();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /**
         * An MQTT client is let in: a node sets up its MQTT streams for the account on its first MQTT client, which
         * waits for their leaders; a node that has not yet done so is not back in service for a gateway.
         */
        boolean mqttAnswers() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mqttPort), 1000);
            } catch (IOException e) {
                return false;
            }
            try {
                MqttClient probe = new MqttClient(uri(), "nats-probe-" + name + "-" + System.nanoTime(),
                        new MemoryPersistence());
                try {
                    MqttConnectOptions o = new MqttConnectOptions();
                    o.setConnectionTimeout(5);
                    probe.connect(o);
                    probe.disconnect(1000);
                    return true;
                } finally {
                    probe.close(true);
                }
            } catch (MqttException e) {
                return false;
            }
        }

        /** CPU seconds (user + system) and resident MiB of the process, from /proc. */
        double[] cpuSecondsAndRssMiB() throws IOException {
            long pid = process.pid();
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
            double rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return new double[] { cpu, rss };
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log());
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public String toString() {
            return name + " " + uri();
        }
    }

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Node> nodes = new ArrayList<>();

    NatsCluster(Path dir, int size) throws IOException {
        if (!new File(EXECUTABLE).canExecute()) {
            throw new IllegalStateException("nats-server is not installed: run ./test (it installs Debian's nats-server)");
        }
        this.dir = dir;
        Files.createDirectories(dir);
        for (int i = 1; i <= size; i++) {
            nodes.add(new Node("n" + i));
        }
        for (Node n : nodes) {
            n.write();
        }
    }

    /** Starts every node and waits until all are healthy (routes up, a JetStream leader, MQTT listening). */
    NatsCluster start() throws IOException {
        for (Node n : nodes) {
            n.start();
        }
        awaitHealthy(nodes);
        return this;
    }

    /**
     * Waits until the nodes are healthy. A node restarted while gateways publish catches up on the streams
     * as they grow: on a loaded 2-core machine that took over 60 s once (its stream "not current" all along),
     * so the wait is long; it ends as soon as the node is current.
     */
    void awaitHealthy(List<Node> which) {
        try {
            GatewayTestSupport.await("nats nodes " + which + " healthy", Duration.ofSeconds(180),
                    () -> which.stream().allMatch(Node::healthy));
        } catch (AssertionError e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (Node n : which) {
                logs.append("\n--- ").append(n.name).append(" (alive ").append(n.alive()).append(")\n")
                        .append(n.logTail());
            }
            throw new AssertionError(logs.toString(), e);
        }
    }

    Node node(String uri) {
        return nodes.stream().filter(n -> n.uri().equals(uri)).findFirst().orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        for (Node n : nodes) {
            if (n.alive()) {
                n.kill();
            }
        }
    }
}
