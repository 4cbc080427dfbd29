package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.junit.Test;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.junit.runner.RunWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

/**
 * Churn: configurations created and deleted a thousand times each (sensors, cameras, ZeroMQ endpoints, MQTT
 * brokers: each of those connects to a real Mosquitto the test starts and disconnects again) and every EdgeGate
 * bundle updated a hundred times must leave the gateway as it found it: threads, open file descriptors and heap
 * after GC back to the baseline, and the shared state's entries kept.
 *
 * <p>Tolerances (stated here and in docs/testing.md): threads +3 (pools that idle out are awaited; a JIT
 * or GC helper thread may appear), file descriptors +8 (jar files the framework caches for the newest
 * revisions, log file rotation), used heap after GC at most baseline + 24 MB (class loaders of updated
 * revisions are collected; JIT-compiled code and interned strings stay).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChurnIT extends GatewayTestSupport {
    private static final int CYCLES = 1000;
    private static final int PARALLEL = 20;
    private static final int UPDATES = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    protected Duration testTimeout() {
        return Duration.ofMinutes(30); // ~3.5 minutes alone, several times that beside other builds
    }
    private static final String MQTT = "org.edgegate.mqtt.broker";
    /** ZeroMQ endpoints and MQTT brokers are both {@link Endpoint} services: told apart by their kind. */
    private static final Predicate<Endpoint> ZMQ_ENDPOINT = e -> !"mqtt".equals(e.kind());
    private static final Predicate<Endpoint> MQTT_BROKER = e -> "mqtt".equals(e.kind());
    /** A broker counts as up once it is connected: each cycle really connects and disconnects. */
    private static final Predicate<Endpoint> MQTT_CONNECTED = e -> MQTT_BROKER.test(e)
            && e.health().state() == HealthState.OPEN;

    @Test
    public void churnLeavesNoThreadFileOrMemoryBehind() throws Exception {
        // started before the baseline, stopped after the last measurement: its log reader and pipes are the
        // test's, not the gateway's
        try (Mosquitto broker = Mosquitto.started(home().resolve("churn-mosquitto"))) {
            churnAgainst(broker);
        }
    }

    private void churnAgainst(Mosquitto broker) throws Exception {
        awaitService(StateService.class);
        await("demo sensors, cameras and endpoints up", WAIT, () -> services(Monitored.class).size() >= 4);
        // one warm-up round of each, so that lazily made threads and classes exist in the baseline
        churn(Sensor.class, "org.edgegate.serial.sensor", PARALLEL, i -> sensor(i));
        churn(Camera.class, "org.edgegate.camera", PARALLEL, i -> camera(i));
        churn(Endpoint.class, "org.edgegate.zmq.endpoint", PARALLEL, i -> endpoint(i), ZMQ_ENDPOINT, ZMQ_ENDPOINT);
        churn(Endpoint.class, MQTT, PARALLEL, i -> mqtt(i, broker), MQTT_BROKER, MQTT_CONNECTED);
        Baseline before = settledBaseline();
        Map<String, Integer> fdsBefore = openFiles();
        Set<String> keysBefore = keys();

        long t0 = System.nanoTime();
        churn(Endpoint.class, "org.edgegate.zmq.endpoint", CYCLES, i -> endpoint(i), ZMQ_ENDPOINT, ZMQ_ENDPOINT);
        long endpoints = System.nanoTime();
        churn(Endpoint.class, MQTT, CYCLES, i -> mqtt(i, broker), MQTT_BROKER, MQTT_CONNECTED);
        long brokers = System.nanoTime();
        churn(Sensor.class, "org.edgegate.serial.sensor", CYCLES, i -> sensor(i));
        long sensors = System.nanoTime();
        churn(Camera.class, "org.edgegate.camera", CYCLES, i -> camera(i));
        long cameras = System.nanoTime();
        int updated = updateEveryBundle();
        long updates = System.nanoTime();
        System.out.printf("churn: %d endpoint, MQTT broker, sensor and camera cycles in %.1f s, %.1f s, %.1f s,"
                + " %.1f s; %d bundles x %d updates in %.1f s%n", CYCLES, secs(t0, endpoints), secs(endpoints, brokers),
                secs(brokers, sensors), secs(sensors, cameras), updated, UPDATES, secs(cameras, updates));

        awaitService(StateService.class);
        Set<String> keysAfter = keys();
        Set<String> lost = new TreeSet<>(keysBefore);
        lost.removeAll(keysAfter);
        assertTrue("state entries lost: " + lost, lost.isEmpty());

        Baseline[] now = new Baseline[1];
        try {
            await("threads, fds and heap back to the baseline " + before, Duration.ofSeconds(60), () -> {
                now[0] = baseline();
                return now[0].threads <= before.threads + 3 && now[0].fds <= before.fds + 8
                        && now[0].heap <= before.heap + (24L << 20);
            });
        } catch (AssertionError e) {
            String why = e.getMessage() + "; now " + now[0] + "; threads " + threadNames() + "; open files that"
                    + " changed (before/now) " + changed(fdsBefore, openFiles());
            System.out.println("churn: " + why); // in the test's output too: a failure's cause may travel alone
            throw new AssertionError(why, e);
        }
        System.out.println("churn: baseline " + before + ", after " + now[0] + "; open files that changed (before/now) "
                + changed(fdsBefore, openFiles()));
    }

    private Map<String, Object> sensor(int i) {
        return Map.of("id", "churn" + i, "port", "sim:th?rate=50", "parser", "dash");
    }

    private Map<String, Object> camera(int i) {
        return Map.of("id", "churn" + i, "source", "pattern:", "width", "64", "height", "48", "fps", "25");
    }

    private final Map<Integer, Integer> ports = new HashMap<>();

    private Map<String, Object> endpoint(int i) {
        int port = ports.computeIfAbsent(i, k -> freePort());
        return Map.of("id", "churn" + i, "mode", "native", "topics", "state/churn/",
                "address", "tcp://127.0.0.1:" + port);
    }

    /** A broker connection to the test's Mosquitto that carries only the retained status and camera state. */
    private Map<String, Object> mqtt(int i, Mosquitto broker) {
        return Map.of("id", "churn" + i, "uri", broker.uri(), "gateway", "churn", "sensors", "churn-none",
                "cameras", "-", "homeassistant", "false", "journal.maxMiB", "1");
    }

    private <T extends Monitored> void churn(Class<T> type, String factoryPid, int cycles,
            Function<Integer, Map<String, Object>> properties) throws Exception {
        churn(type, factoryPid, cycles, properties, s -> true, s -> true);
    }

    /**
     * {@code cycles} create/delete cycles, {@link #PARALLEL} configurations at a time: a round is up when
     * {@code up} holds for all of them, gone when no service that is {@code ours} is left.
     */
    private <T extends Monitored> void churn(Class<T> type, String factoryPid, int cycles,
            Function<Integer, Map<String, Object>> properties, Predicate<T> ours, Predicate<T> up) throws Exception {
        for (int done = 0; done < cycles; done += PARALLEL) {
            List<Configuration> round = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                // The same names every round: each is deleted and made again under File Install's scans.
                round.add(createFactoryConfiguration(factoryPid, "churn" + i, properties.apply(i)));
            }
            try {
                await(type.getSimpleName() + "s of round " + done / PARALLEL + " up", WAIT,
                        () -> churned(type, up) == PARALLEL);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; up: " + services(type).stream()
                        .map(s -> s.id() + " " + s.health()).toList() + "; threads:\n" + dump(), e);
            }
            for (Configuration c : round) {
                deleteConfiguration(c);
            }
            await(type.getSimpleName() + "s of round " + done / PARALLEL + " gone", WAIT, () -> churned(type, ours) == 0);
        }
    }

    private <T extends Monitored> long churned(Class<T> type, Predicate<T> which) {
        return services(type).stream().filter(s -> s.id().startsWith("churn") && which.test(s)).count();
    }

    private <T> List<T> services(Class<T> type) {
        List<T> found = new ArrayList<>();
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
                T s = context.getService(ref);
                if (s != null) {
                    found.add(s);
                    context.ungetService(ref);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** Updates each EdgeGate bundle {@link #UPDATES} times from its jar; returns how many bundles. */
    private int updateEveryBundle() throws Exception {
        int count = 0;
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn == null || !bsn.startsWith("org.edgegate.") || b.getHeaders().get("Fragment-Host") != null
                    || b.getHeaders().get("Export-Package") != null) {
                // api and logging export packages: updating them takes a refresh that restarts every importer,
                // this test's own bundle included (FoundationIT and RuntimeProcessIT cover their updates)
                continue;
            }
            count++;
            for (int i = 0; i < UPDATES; i++) {
                try (InputStream jar = new java.net.URL(b.getLocation()).openStream()) {
                    b.update(jar);
                }
                await(bsn + " active after update " + i, WAIT, () -> b.getState() == Bundle.ACTIVE);
            }
        }
        assertTrue("EdgeGate bundles found: " + count, count >= 7);
        return count;
    }

    private Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (StateEntry e : awaitService(StateService.class).snapshot("")) {
            if (!e.key().contains("churn")) {
                keys.add(e.key());
            }
        }
        return keys;
    }

    private record Baseline(int threads, long fds, long heap) {
        @Override
        public String toString() {
            return threads + " threads, " + fds + " fds, " + (heap >> 20) + " MB heap";
        }
    }

    /**
     * The baseline at a quiet moment: threads and open files unchanged for three seconds (lazily opened jars and
     * pools that idle out settle after the warm-up). Waits at most three minutes; a gateway that never settles
     * fails the test, naming the threads and open files that kept changing, instead of a baseline taken anyway.
     */
    private static Baseline settledBaseline() {
        Baseline[] last = new Baseline[1];
        long[] since = new long[1];
        List<Map<String, Integer>> lastKinds = new ArrayList<>(List.of(Map.of(), Map.of()));
        String[] moving = {"nothing"};
        try {
            await("threads and open files quiet for 3 s", Duration.ofMinutes(3), () -> {
                Baseline b = baseline();
                Map<String, Integer> threads = threadKinds();
                Map<String, Integer> files = openFiles();
                if (last[0] == null || b.threads != last[0].threads || b.fds != last[0].fds) {
                    if (last[0] != null) {
                        moving[0] = "threads (before/now) " + changed(lastKinds.get(0), threads)
                                + ", open files (before/now) " + changed(lastKinds.get(1), files);
                    }
                    since[0] = System.nanoTime();
                }
                last[0] = b;
                lastKinds.set(0, threads);
                lastKinds.set(1, files);
                return System.nanoTime() - since[0] >= 3_000_000_000L;
            });
        } catch (AssertionError notQuiet) {
            String why = notQuiet.getMessage() + ": the last change was " + moving[0] + "; now " + last[0];
            System.out.println("churn: " + why);
            throw new AssertionError(why, notQuiet);
        }
        return last[0];
    }

    /** Threads of the whole JVM (every thread group), GC run first so that heap is what is kept. */
    private static Baseline baseline() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        File[] fds = new File("/proc/self/fd").listFiles();
        return new Baseline(ManagementFactory.getThreadMXBean().getThreadCount(), fds == null ? -1 : fds.length,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** Live threads by name, digits folded ("edgegate-camera-N"). */
    private static Map<String, Integer> threadKinds() {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            kinds.merge(t.getName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
        }
        return kinds;
    }

    private static String dump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("edgegate") || t.getName().startsWith("MQTT") || t.getName().contains("SCR")
                    || t.getName().contains("CM ")) {
                b.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    b.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return b.toString();
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

    /** What the open file descriptors are, counted by kind (sockets, pipes, files by name without digits). */
    private static Map<String, Integer> openFiles() {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                String target = java.nio.file.Files.readSymbolicLink(fd.toPath()).toString();
                kinds.merge(target.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            } catch (java.io.IOException | UnsupportedOperationException gone) {
                // closed meanwhile (the listing's own descriptor)
            }
        }
        return kinds;
    }

    private static Map<String, String> changed(Map<String, Integer> before, Map<String, Integer> now) {
        Map<String, String> changed = new java.util.TreeMap<>();
        Set<String> kinds = new TreeSet<>(before.keySet());
        kinds.addAll(now.keySet());
        for (String k : kinds) {
            int b = before.getOrDefault(k, 0);
            int n = now.getOrDefault(k, 0);
            if (b != n) {
                changed.put(k, b + "/" + n);
            }
        }
        return changed;
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }
}
