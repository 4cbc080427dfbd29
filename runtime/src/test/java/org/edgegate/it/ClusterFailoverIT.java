package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Failover across the nodes of a real clustered broker (issue 25): a three-node {@code nats-server} cluster with
 * JetStream and MQTT on each node, five gateway runtimes ({@code bin/edgegate}) each publishing a 50 readings/s
 * sim: board with the nodes listed in a different order, and a persistent QoS 1 {@code mosquitto_sub} on the
 * third node. The node most gateways are on is killed with SIGKILL: every gateway on it is on another node within
 * 5 s — of the kill, or of the cluster taking MQTT clients again when the Raft election of the leaders the dead
 * node held took longer (measured and printed) — and the subscriber gets every reading of every gateway (seq
 * contiguous per gateway; QoS 1 may repeat);
 * the node comes back, and the same is done to a second node. The Home Assistant discovery configs are still
 * retained at the end.
 */
public class ClusterFailoverIT {
    private static final int GATEWAYS = 5;
    /** The nodes each gateway lists, by index: five different orders. The subscriber is on node 2. */
    private static final int[][] ORDERS = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 2, 0, 1 }, { 1, 2, 0 } };
    private static final int SUBSCRIBER_NODE = 2;
    private static final Duration FAILOVER = Duration.ofSeconds(5);

    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(8));
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** A reading as the subscriber got it. */
    record Got(long seq, double ts, long arrivedMillis, int bytes) {
    }

    private final Map<String, List<Got>> received = new ConcurrentHashMap<>();
    private final List<String> markers = new CopyOnWriteArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                System.out.println("ClusterFailoverIT: cleanup: " + e);
            }
        }
    }

    @Test
    public void aNodeKilledTwiceLosesNothing() throws Exception {
        Path dir = GatewayTestSupport.WORK.resolve("ClusterFailoverIT-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        NatsCluster cluster = new NatsCluster(dir.resolve("nats"), 3);
        cleanup.add(cluster);
        cluster.start();
        NatsCluster.Node subscriberNode = cluster.nodes.get(SUBSCRIBER_NODE);
        subscribe(subscriberNode, cluster.nodes.get(0));

        List<RuntimeProcess> gateways = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
            gateways.add(gateway("g" + g, Arrays.stream(ORDERS[g]).mapToObj(i -> cluster.nodes.get(i).uri()).toList()));
        }
        startAll(gateways);
        GatewayTestSupport.await("readings of every gateway", RuntimeProcess.TIMEOUT,
                () -> gateways.stream().allMatch(g -> readings(name(g)).size() >= 50));
        double[][] before = usage(cluster);
        long measureFrom = System.currentTimeMillis();
        GatewayTestSupport.await("ten seconds of steady traffic", Duration.ofSeconds(15),
                () -> System.currentTimeMillis() - measureFrom >= 10_000);
        report(cluster, before, measureFrom);

        NatsCluster.Node first = busiest(cluster, gateways, List.of(subscriberNode));
        failover(cluster, gateways, first);
        first.start();
        cluster.awaitHealthy(List.of(first));
        NatsCluster.Node second = busiest(cluster, gateways, List.of(subscriberNode, first));
        failover(cluster, gateways, second);

        // nothing lost: from each gateway's first reading the subscriber saw to its last, every seq
        GatewayTestSupport.await("every seq of every gateway, no hole", Duration.ofSeconds(30),
                () -> gateways.stream().allMatch(g -> missing(name(g)).isEmpty()));
        for (RuntimeProcess g : gateways) {
            List<Got> all = readings(name(g));
            TreeSet<Long> seqs = all.stream().map(Got::seq).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(name(g) + ": missing " + missing(name(g)), seqs.last() - seqs.first() + 1, seqs.size());
            System.out.println("ClusterFailoverIT: " + name(g) + " seq " + seqs.first() + ".." + seqs.last() + ", "
                    + (all.size() - seqs.size()) + " duplicates, on " + counters(g).get("node").getAsString());
        }

        // the discovery configs are still retained (read on the subscriber's node, as a fresh client, once the
        // survivors are healthy: a node's loss leaves JetStream electing leaders for a while)
        Instant asked = Instant.now();
        cluster.awaitHealthy(cluster.nodes.stream().filter(NatsCluster.Node::alive).toList());
        System.out.println("ClusterFailoverIT: the survivors healthy after " + Duration.between(asked, Instant.now())
                .toMillis() + " ms");
        List<MqttCollector.Message> retained = MqttCollector.retained(subscriberNode.uri(), "homeassistant/#");
        for (RuntimeProcess g : gateways) {
            long configs = retained.stream().filter(m -> m.topic().contains("/edgegate_" + name(g) + "/")
                    && m.payload().length > 0).count();
            assertTrue(name(g) + ": its discovery configs (temperature, humidity) are retained: " + configs,
                    configs >= 2);
        }
    }

    /** Kills the node, then: every gateway that was on it is on another within 5 s, and readings flow again. */
    private void failover(NatsCluster cluster, List<RuntimeProcess> gateways, NatsCluster.Node victim)
            throws Exception {
        Map<String, String> nodeBefore = new HashMap<>();
        for (RuntimeProcess g : gateways) {
            nodeBefore.put(name(g), counters(g).get("node").getAsString());
        }
        List<String> moved = nodeBefore.entrySet().stream().filter(e -> e.getValue().equals(victim.uri()))
                .map(Map.Entry::getKey).sorted().toList();
        assertTrue("gateways on " + victim + ": " + nodeBefore, !moved.isEmpty());
        List<NatsCluster.Node> survivors = cluster.nodes.stream().filter(n -> n != victim && n.alive()).toList();
        Instant killed = Instant.now();
        victim.kill();
        // when the survivors take MQTT clients again: a node's loss costs NATS a Raft election of the leaders it
        // held (the sessions' stream among them), and no client gets in anywhere until then
        CompletableFuture<Instant> serving = CompletableFuture.supplyAsync(() -> {
            GatewayTestSupport.await("the survivors taking MQTT clients", Duration.ofSeconds(60),
                    () -> survivors.stream().allMatch(NatsCluster.Node::mqttAnswers));
            return Instant.now();
        });
        // the clock of the assertion is each gateway's own connectedSince, not how fast edgegate-cli answers: the
        // first seen off the victim (a gateway may be dropped again while the cluster elects, see below)
        Map<String, JsonObject> firstOff = new ConcurrentHashMap<>();
        GatewayTestSupport.await("every gateway OPEN off " + victim, Duration.ofSeconds(30), () -> gateways.stream()
                .allMatch(g -> firstOff.containsKey(name(g)) || open(counters(g), victim)
                        .map(c -> firstOff.putIfAbsent(name(g), c) == null).orElse(false)));
        Instant back = serving.get(60, TimeUnit.SECONDS);
        Duration election = Duration.between(killed, back);
        for (RuntimeProcess g : gateways) {
            JsonObject c = firstOff.get(name(g));
            Instant since = Instant.parse(c.get("connectedSince").getAsString());
            if (moved.contains(name(g))) {
                Duration took = Duration.between(killed, since);
                System.out.println("ClusterFailoverIT: " + name(g) + " left " + victim.name + " for "
                        + c.get("node").getAsString() + " in " + took.toMillis() + " ms (the cluster took MQTT "
                        + "clients again after " + election.toMillis() + " ms)");
                // within 5 s of the kill, or of the cluster serving again when its election took longer
                assertTrue(name(g) + " on another node within " + FAILOVER + ": took " + took + ", the cluster "
                        + election, took.compareTo(FAILOVER) <= 0 || Duration.between(back, since).compareTo(FAILOVER) <= 0);
            } else if (since.isAfter(killed)) {
                // NATS closes a client whose QoS 1 message it could not store in time while it elects (its log:
                // "timeout for request type MS"), on a surviving node too: the gateway reconnects like a failover
                System.out.println("ClusterFailoverIT: " + name(g) + " was dropped by " + nodeBefore.get(name(g))
                        + " during the election and is on " + c.get("node").getAsString() + " again after "
                        + Duration.between(killed, since).toMillis() + " ms");
            } else {
                assertEquals(name(g) + " stays where it was", nodeBefore.get(name(g)), c.get("node").getAsString());
            }
        }
        double after = killed.toEpochMilli() + FAILOVER.toMillis();
        GatewayTestSupport.await("readings of every gateway made after the failover", RuntimeProcess.TIMEOUT,
                () -> gateways.stream().allMatch(g -> readings(name(g)).stream().anyMatch(r -> r.ts() > after)));
    }

    /** The counters when OPEN on a node other than {@code victim}. */
    private static java.util.Optional<JsonObject> open(JsonObject c, NatsCluster.Node victim) {
        return "OPEN".equals(c.get("state").getAsString()) && !victim.uri().equals(c.get("node").getAsString())
                ? java.util.Optional.of(c) : java.util.Optional.empty();
    }

    /** The node (not one of {@code except}) with the most gateways on it; ties: the first in the cluster. */
    private NatsCluster.Node busiest(NatsCluster cluster, List<RuntimeProcess> gateways, List<NatsCluster.Node> except) {
        Map<String, Long> count = gateways.stream().collect(Collectors.groupingBy(g -> counters(g).get("node")
                .getAsString(), Collectors.counting()));
        NatsCluster.Node best = null;
        for (NatsCluster.Node n : cluster.nodes) {
            if (!except.contains(n) && (best == null || count.getOrDefault(n.uri(), 0L) > count.getOrDefault(best.uri(), 0L))) {
                best = n;
            }
        }
        System.out.println("ClusterFailoverIT: gateways per node " + count + "; killing " + best);
        return best;
    }

    // ---- the subscriber nobody here wrote ----

    private void subscribe(NatsCluster.Node node, NatsCluster.Node markerNode) throws Exception {
        String marker = "edgegate/marker/sensor/fast";
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(node.mqttPort),
                "-c", "-i", "cluster-it-subscriber", "-q", "1", "-t", "edgegate/+/sensor/fast", "-v")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        cleanup.add(() -> sub.destroyForcibly().waitFor(5, TimeUnit.SECONDS));
        Thread reader = new Thread(() -> read(sub), "cluster-it-subscriber");
        reader.setDaemon(true);
        reader.start();
        // a subscription reaches the other nodes of the cluster shortly after SUBACK: wait for a marker through one
        GatewayTestSupport.await("the subscriber getting a marker published on another node", Duration.ofSeconds(30),
                () -> {
                    Command.run(Duration.ofSeconds(10), null, List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                            String.valueOf(markerNode.mqttPort), "-q", "1", "-t", marker, "-m", "{}"));
                    return !markers.isEmpty() || !sub.isAlive();
                });
        assertTrue("mosquitto_sub running", sub.isAlive());
    }

    private void read(Process sub) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                long now = System.currentTimeMillis();
                int space = line.indexOf(' ');
                String topic = space < 0 ? line : line.substring(0, space);
                String[] levels = topic.split("/");
                if (levels.length != 4 || space < 0) {
                    markers.add(line);
                    continue;
                }
                if (levels[1].equals("marker")) {
                    markers.add(line);
                    continue;
                }
                String payload = line.substring(space + 1);
                JsonObject o = JsonParser.parseString(payload).getAsJsonObject();
                received.computeIfAbsent(levels[1], k -> new CopyOnWriteArrayList<>()).add(new Got(
                        o.get("seq").getAsLong(), o.get("ts").getAsDouble(), now,
                        payload.getBytes(StandardCharsets.UTF_8).length));
            }
        } catch (IOException | RuntimeException e) {
            markers.add("reader ended: " + e);
        }
    }

    private List<Got> readings(String gateway) {
        return received.getOrDefault(gateway, List.of());
    }

    private List<Long> missing(String gateway) {
        TreeSet<Long> seqs = readings(gateway).stream().map(Got::seq).collect(Collectors.toCollection(TreeSet::new));
        List<Long> out = new ArrayList<>();
        if (seqs.isEmpty()) {
            return List.of(-1L);
        }
        for (long s = seqs.first(); s <= seqs.last() && out.size() < 20; s++) {
            if (!seqs.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    // ---- the gateways ----

    private RuntimeProcess gateway(String name, List<String> nodes) throws IOException {
        RuntimeProcess g = new RuntimeProcess("ClusterFailoverIT-" + name);
        cleanup.add(g);
        MqttGateways.fastBoard(g);
        Path etc = g.home().resolve("etc");
        Files.writeString(etc.resolve("org.edgegate.mqtt.broker-fleet.cfg"), String.join("\n",
                "id = fleet", "uri = " + String.join(", ", nodes), "gateway = " + name, "sensors = fast",
                "cameras = -", "reconnect.maxSeconds = 2", ""));
        return g;
    }

    /** Starts the runtimes, two side by side (each waits for its own edgegate-cli answer). */
    private static void startAll(List<RuntimeProcess> gateways) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2); // two at a time: five JVMs booting at once on a busy machine miss their minute
        try {
            List<Future<RuntimeProcess>> started = new ArrayList<>();
            for (RuntimeProcess g : gateways) {
                started.add(pool.submit(g::start));
            }
            for (Future<RuntimeProcess> f : started) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String name(RuntimeProcess g) {
        String folder = g.home().getParent().getFileName().toString(); // ClusterFailoverIT-<name>-<random>
        return folder.split("-")[1];
    }

    private static JsonObject counters(RuntimeProcess g) {
        return MqttGateways.counters(g, "fleet");
    }

    // ---- figures for docs/fleet.md (printed, never asserted: speed is bench/'s job) ----

    private static double[][] usage(NatsCluster cluster) throws IOException {
        double[][] u = new double[cluster.nodes.size()][];
        for (int i = 0; i < u.length; i++) {
            u[i] = cluster.nodes.get(i).cpuSecondsAndRssMiB();
        }
        return u;
    }

    private void report(NatsCluster cluster, double[][] before, long from) throws IOException {
        double seconds = (System.currentTimeMillis() - from) / 1000.0;
        double[][] after = usage(cluster);
        double cpu = 0;
        double rss = 0;
        for (int i = 0; i < after.length; i++) {
            cpu += after[i][0] - before[i][0];
            rss += after[i][1];
        }
        List<Double> latencies = new ArrayList<>();
        for (List<Got> l : received.values()) {
            for (Got g : l) {
                if (g.arrivedMillis() >= from) {
                    latencies.add(g.arrivedMillis() - g.ts());
                }
            }
        }
        latencies.sort(null);
        // bytes on the wire per reading, gateway to broker, QoS 1: the JSON PUBLISH and the two plain values'
        // (fixed header 1 + length 1-2 + topic length 2 + topic + packet id 2 + payload), each with its PUBACK (4)
        double json = received.values().stream().flatMap(List::stream).mapToInt(Got::bytes).average().orElse(0);
        String topic = "edgegate/g0/sensor/fast";
        double wire = (1 + 2 + 2 + topic.length() + 2 + json + 4)
                + (1 + 1 + 2 + (topic + "/temperature").length() + 2 + 4 + 4)
                + (1 + 1 + 2 + (topic + "/humidity").length() + 2 + 4 + 4);
        System.out.printf("ClusterFailoverIT: figures: %d gateways x 50 readings/s for %.1f s: broker CPU %.1f %% of a core"
                + " (3 nodes together, %.2f %% per gateway), RSS %.0f MiB (3 nodes), %d readings received,"
                + " end-to-end p50 %.1f ms p99 %.1f ms; JSON reading %.0f bytes, %.0f bytes on the wire per reading"
                + " with its two plain values and acknowledgements%n", GATEWAYS, seconds, 100 * cpu / seconds,
                100 * cpu / seconds / GATEWAYS, rss, latencies.size(),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
                latencies.isEmpty() ? 0 : latencies.get(Math.min(latencies.size() - 1, latencies.size() * 99 / 100)),
                json, wire);
    }
}
