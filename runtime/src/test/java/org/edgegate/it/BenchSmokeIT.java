package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * bench/run.sh in its smoke mode (SMOKE=1: one operating point, a few seconds per figure) against the
 * assembled runtime, so the benchmark keeps working: it must finish, and every kind of row must carry
 * real figures. Speed is not asserted here (that is what the benchmark itself reports).
 * A plain JUnit test run by Failsafe after the runtime is assembled; no OSGi framework of its own.
 */
public class BenchSmokeIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(15));
    private static final Path DIST = Path.of(System.getProperty("edgegate.dist", "target/edgegate")).toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("edgegate.it.work", "target/it")).toAbsolutePath();

    @Test
    public void theBenchmarkRunsAndReportsEveryKindOfRow() throws Exception {
        Path script = Path.of("..", "bench", "run.sh").toAbsolutePath().normalize();
        assertTrue("no " + script, Files.isExecutable(script));
        Path work = WORK.resolve("bench-smoke");
        deleteTree(work);
        Files.createDirectories(work);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), work.toString());
        pb.environment().put("SMOKE", "1");
        pb.environment().put("RUNTIME", DIST.toString());
        pb.redirectErrorStream(true).redirectOutput(work.resolve("run.log").toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new AssertionError("bench/run.sh SMOKE=1 still running after 10 minutes: " + log(work));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        assertEquals("bench/run.sh SMOKE=1 failed: " + log(work), 0, p.exitValue());

        List<JsonObject> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("results-")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    rows.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
        }
        JsonObject zmq = row(rows, "edgegate", "zmq");
        assertTrue(zmq.toString(), zmq.get("delivered_fps").getAsDouble() > 0);
        assertTrue(zmq.toString(), zmq.get("lat_p99_ms").getAsDouble() > 0);
        assertTrue(zmq.toString(), zmq.get("cpu_ms_per_frame_gateway").getAsDouble() > 0);
        assertTrue(zmq.toString(), zmq.get("pss_gateway_mb").getAsDouble() > 10);
        assertTrue("the camera passes the clip's JPEG through: " + zmq,
                zmq.get("jpeg_path").getAsString().contains("passthrough"));
        JsonObject http = row(rows, "edgegate", "http");
        assertTrue(http.toString(), http.get("delivered_fps").getAsDouble() > 0);
        JsonObject serial = row(rows, "edgegate-serial", null);
        assertTrue(serial.toString(), serial.get("lines_per_s").getAsDouble() > 0);
        assertTrue(serial.toString(), serial.get("lat_state_p50_ms").getAsDouble() > 0);
        for (String point : List.of("serial 100 lines/s", "4 cameras @ 25 fps passthrough")) { // rows/realrates.sh
            JsonObject rr = rows.stream().filter(r -> "realrates".equals(r.get("bench").getAsString())
                    && point.equals(r.get("row").getAsString())).findFirst()
                    .orElseThrow(() -> new AssertionError("no real-rates row '" + point + "' in " + rows));
            assertTrue(rr.toString(), rr.get("EdgeGate events/s").getAsDouble() > 0);
            assertTrue(rr.toString(), rr.get("EdgeGate µs/event").getAsDouble() > 0);
        }

        String table = Files.readString(work.resolve("table.md"));
        assertTrue(table, table.contains("| 4x480x320@25 | EdgeGate, MJPG .avi, jpeg=passthrough"));
        assertTrue(table, table.contains("**MJPEG over HTTP**"));
        assertTrue(table, table.contains("| EdgeGate | 100 |"));
    }

    private static JsonObject row(List<JsonObject> rows, String bench, String receiver) {
        return rows.stream().filter(r -> bench.equals(r.get("bench").getAsString())
                && (receiver == null || receiver.equals(r.get("receiver").getAsString())))
                .findFirst().orElseThrow(() -> new AssertionError("no " + bench + " " + receiver + " row in " + rows));
    }

    static String log(Path work) throws IOException {
        Path log = work.resolve("run.log");
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
    }
}
