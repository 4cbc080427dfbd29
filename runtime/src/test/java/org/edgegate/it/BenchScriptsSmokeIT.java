package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * bench/mqtt_bench.sh (SMOKE=1), bench/shm_bench.sh (one short repetition) and bench/wakefloor/run.sh (2 s a row)
 * against the assembled runtime, as {@link BenchSmokeIT} does for bench/run.sh: each must finish and every row of
 * its table carry a figure.
 * Speed is not asserted (that is what the benchmarks report). Plain JUnit, no framework of its own.
 */
public class BenchScriptsSmokeIT {
    private static final Path DIST = Path.of(System.getProperty("edgegate.dist", "target/edgegate")).toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("edgegate.it.work", "target/it")).toAbsolutePath();
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private static Path script(String name) {
        Path script = Path.of("..", "bench", name).toAbsolutePath().normalize();
        assertTrue("no " + script, Files.isRegularFile(script));
        return script;
    }

    /** Runs the command in a fresh work folder; its output (stdout and stderr) is the returned text. */
    private static String run(Path work, Map<String, String> environment, String... command) throws Exception {
        BenchSmokeIT.deleteTree(work);
        Files.createDirectories(work);
        Path log = work.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv("PATH"));
        Process p = pb.start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new AssertionError(String.join(" ", command) + " still running after 10 minutes:\n"
                        + BenchSmokeIT.log(work));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + " failed:\n" + BenchSmokeIT.log(work), 0, p.exitValue());
        return out;
    }

    /** The rows "| label | value |" of a two-column markdown table, label to value. */
    private static Map<String, String> rows(String output) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            String[] cells = line.split("\\|", -1);
            if (cells.length == 4 && !cells[1].isBlank() && !cells[2].strip().startsWith("---")) {
                rows.put(cells[1].strip(), cells[2].strip());
            }
        }
        return rows;
    }

    /** The numbers in a table cell. */
    private static List<Double> numbers(String cell) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(cell);
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out;
    }

    private static String row(Map<String, String> rows, String start) {
        return rows.entrySet().stream().filter(e -> e.getKey().startsWith(start)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no row '" + start + "' in " + rows.keySet()));
    }

    private static void positive(Map<String, String> rows, String start, int count) {
        List<Double> figures = numbers(row(rows, start));
        assertTrue(start + ": " + figures, figures.size() >= count);
        for (int i = 0; i < count; i++) {
            assertTrue(start + ": " + figures, figures.get(i) > 0);
        }
    }

    @Test
    public void theMqttBenchmarkRunsAndFillsItsTable() throws Exception {
        String out = run(WORK.resolve("bench-mqtt-smoke"), Map.of("SMOKE", "1"), "bash",
                script("mqtt_bench.sh").toString(), WORK.resolve("bench-mqtt-smoke").toString());
        Map<String, String> rows = rows(out);
        positive(rows, "latency sensor -> mosquitto_sub", 2); // p50 and p99
        positive(rows, "gateway CPU % of one core at 100 lines/s", 1);
        // two seconds of a sensor may all be dropped (the bridge's queue full under an unthrottled sensor) or
        // spent starting mosquitto_sub on a loaded machine: each row a figure, and readings through on the whole
        double through = 0;
        for (String qos : new String[] { "0", "1" }) {
            for (String rate : new String[] { "5000", "unthrottled" }) {
                List<Double> figures = numbers(row(rows, "readings/s through to mosquitto_sub, QoS " + qos
                        + ", sensor at " + rate));
                assertEquals(qos + " " + rate + ": " + figures, 2, figures.size());
                through += figures.get(0);
            }
        }
        assertTrue("readings through to mosquitto_sub: " + rows, through > 0);
        positive(rows, "journal on the gateway: readings journaled/s", 1);
        positive(rows, "journal on the gateway: replayed/s", 1);
        positive(rows, "journal alone (JournalBench", 1);
        positive(rows, "journal alone: read + commit/s", 1);
        positive(rows, "journal alone: opening", 1);
    }

    @Test
    public void theShmBenchmarkRunsAndFillsItsTable() throws Exception {
        Path work = WORK.resolve("bench-shm-smoke");
        String out = run(work, Map.of(), "bash", script("shm_bench.sh").toString(), "--reps", "1", "--dur", "2",
                "--warmup", "1", "--work", work.resolve("run").toString());
        for (String path : new String[] { "EdgeGate shm (bgr)", "EdgeGate native ZeroMQ (JPEG)", "the seed's way" }) {
            String line = out.lines().filter(l -> l.startsWith("| " + path)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row " + path + " in:\n" + out));
            List<Double> figures = numbers(line.substring(line.indexOf('|', 2)));
            assertTrue(line, !figures.isEmpty() && figures.get(0) > 0); // frames/s delivered
        }
        assertTrue(out, out.contains("shm publisher's own CPU per frame"));
    }

    @Test
    public void theWakeFloorRunsAndGivesEveryRow() throws Exception {
        Path work = WORK.resolve("bench-wakefloor-smoke");
        String out = run(work, Map.of("RATE", "100", "DUR", "2", "BENCH_RUNTIME", DIST.toString()), "bash",
                script("wakefloor/run.sh").toString());
        for (String side : new String[] { "c read", "java blocking read", "java selector", "libzmq (C)", "JeroMQ (Java)",
                "JeroMQ (Java), SCHED_BATCH", "libzmq from Java (JNA)" }) {
            String line = out.lines().filter(l -> l.contains("\"side\": \"" + side + "\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row " + side + " in:\n" + out));
            Matcher cost = Pattern.compile("\"us_per_(wake|message)\": ([0-9.]+)").matcher(line);
            assertTrue(line, cost.find() && Double.parseDouble(cost.group(2)) > 0);
        }
    }
}
