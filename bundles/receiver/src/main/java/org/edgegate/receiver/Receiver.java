package org.edgegate.receiver;

import org.edgegate.wire.WireJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.zeromq.ZMQ;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * {@code bin/edgegate-receive}: subscribes to a native stream, prints readings and state changes as they
 * come and, once a second, each camera's frames per second, latency (receive time minus the capture
 * {@code ts}), bytes per second and frames lost (gaps in {@code seq}); optionally writes each camera's
 * latest JPEG into a directory. Runs outside OSGi: its jar (with the zmq socket package inside) and the api,
 * wire, JeroMQ, jnacl and Gson jars on the class path.
 */
public final class Receiver {
    static final String USAGE = String.join("\n",
            "usage: edgegate-receive <address> [options]",
            "  <address>             the native endpoint, e.g. tcp://127.0.0.1:5556",
            "  --topics T[,T...]     topic prefixes to subscribe to (default: everything)",
            "  --frames-dir DIR      write each camera's latest JPEG to DIR/<camera>.jpg once a second",
            "  --duration S          stop after S seconds and print a summary (default: until Ctrl-C)",
            "  --warmup S            leave the first S seconds out of the summary (benchmarks)",
            "  --quiet               no line per reading or state change",
            "  --json                end with the summary as one JSON line",
            "  --server-key KEY      CURVE: the endpoint's public key (Z85, or its .key file)",
            "  --keypair FILE        CURVE: this receiver's .key_secret (default: a fresh key pair)",
            "  --connects N          instead of receiving: connect N subscribers one after another, each until its",
            "                        first message, and print connect -> first message p50/p99/max (benchmarks)",
            "  --bare                with --connects: without the handshake watch (to measure JeroMQ itself)");

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final Map<String, CameraStats> cameras = new LinkedHashMap<>();
    private long readings;
    private long states;
    private final boolean quiet;
    private final Path framesDir;
    /** Set by Ctrl-C (the shutdown hook), which then waits for the summary. */
    private volatile boolean stopping;

    public Receiver(PrintStream out, boolean quiet, Path framesDir) {
        this.out = out;
        this.quiet = quiet;
        this.framesDir = framesDir;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        String address = null;
        List<String> topics = new ArrayList<>();
        Path framesDir = null;
        double duration = 0;
        double warmup = 0;
        boolean quiet = false;
        boolean json = false;
        String serverKey = null;
        String keypair = null;
        int connects = 0;
        boolean bare = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--topics" -> topics.addAll(Arrays.asList(args[++i].split(",")));
                    case "--frames-dir" -> framesDir = Paths.get(args[++i]);
                    case "--duration" -> duration = Double.parseDouble(args[++i]);
                    case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                    case "--quiet" -> quiet = true;
                    case "--json" -> json = true;
                    case "--server-key" -> serverKey = args[++i];
                    case "--keypair" -> keypair = args[++i];
                    case "--connects" -> connects = Integer.parseInt(args[++i]);
                    case "--bare" -> bare = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || address != null) {
                            throw new IllegalArgumentException("unknown argument " + args[i]);
                        }
                        address = args[i];
                    }
                }
            }
            if (address == null) {
                throw new IllegalArgumentException("the address is missing");
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            System.err.println(e instanceof ArrayIndexOutOfBoundsException ? "a value is missing" : e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (framesDir != null) {
            Files.createDirectories(framesDir);
        }
        Receiver r = new Receiver(out, quiet, framesDir);
        Subscriber sub = new Subscriber(address, topics, serverKey, keypair);
        if (connects > 0) {
            return new ConnectBenchmark(out, r::line, () -> r.stopping).run(sub, connects, !bare, json);
        }
        return r.receive(sub, duration, warmup, json);
    }

    private int receive(Subscriber how, double duration, double warmup, boolean json) {
        CountDownLatch finished = new CountDownLatch(1);
        long begin = System.nanoTime();
        long start = begin;
        long warm = warmup > 0 ? begin + (long) (warmup * 1e9) : 0;
        Thread hook = new Thread(() -> {
            stopping = true;
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (ZMQ.Context context = ZMQ.context(1); Subscriber.Connection c = how.open(context, true)) {
            ZMQ.Socket sub = c.sub();
            long nextReport = System.nanoTime() + 1_000_000_000L;
            long end = duration > 0 ? begin + (long) (duration * 1e9) : Long.MAX_VALUE;
            while (!stopping && System.nanoTime() < end) {
                byte[] topic = c.recv(100);
                if (topic != null) {
                    List<byte[]> parts = new ArrayList<>(3);
                    parts.add(topic);
                    while (sub.hasReceiveMore()) {
                        parts.add(sub.recv(0));
                    }
                    handle(parts, WireJson.millis(Instant.now()).doubleValue());
                }
                if (warm != 0 && System.nanoTime() >= warm) {
                    warm = 0;
                    start = System.nanoTime();
                    resetTotals();
                }
                if (System.nanoTime() >= nextReport) {
                    report();
                    nextReport += 1_000_000_000L;
                }
            }
        } finally {
            summary((System.nanoTime() - start) / 1e9, json);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already running and waits for this summary
            }
        }
        return 0;
    }


    private void resetTotals() {
        readings = 0;
        states = 0;
        cameras.values().forEach(CameraStats::resetTotals);
    }

    /** @param receivedMillis epoch milliseconds with a microsecond fraction, like the headers' ts */
    public void handle(List<byte[]> parts, double receivedMillis) {
        String topic = new String(parts.get(0), StandardCharsets.UTF_8);
        try {
            show(topic, parts, receivedMillis);
        } catch (RuntimeException e) {
            line(topic + " (not a native message: " + e + ")");
        }
    }

    private void show(String topic, List<byte[]> parts, double receivedMillis) {
        if (parts.size() < 2) {
            line(topic + " (a message without header)");
            return;
        }
        JsonObject h;
        try {
            h = header(parts.get(1));
        } catch (IllegalArgumentException e) {
            line(topic + " (header " + e.getMessage() + ")");
            return;
        }
        byte[] payload = parts.size() > 2 ? parts.get(2) : new byte[0];
        if (topic.startsWith("camera/")) {
            String id = h.has("camera") ? h.get("camera").getAsString() : topic.substring(7);
            CameraStats s = cameras.computeIfAbsent(id, k -> new CameraStats());
            double latency = receivedMillis - h.get("ts").getAsDouble();
            s.frame(h.get("seq").getAsLong(), latency, payload.length);
            s.width = h.get("width").getAsInt();
            s.height = h.get("height").getAsInt();
            if ("jpeg".equals(h.get("format").getAsString())) {
                s.latestJpeg = payload;
            }
        } else if (topic.startsWith("sensor/")) {
            readings++;
            if (!quiet) {
                StringBuilder b = new StringBuilder(topic).append(" #").append(h.get("seq").getAsLong());
                JsonObject units = h.has("units") ? h.getAsJsonObject("units") : new JsonObject();
                for (Map.Entry<String, JsonElement> v : h.getAsJsonObject("values").entrySet()) {
                    b.append(' ').append(v.getKey()).append('=').append(plain(v.getValue()));
                    if (units.has(v.getKey()) && !units.get(v.getKey()).getAsString().isEmpty()) {
                        b.append(' ').append(units.get(v.getKey()).getAsString());
                    }
                }
                line(b.toString());
            }
        } else if (topic.startsWith("state/")) {
            states++;
            if (!quiet) {
                line(topic + (h.has("removed") ? " removed" : " = " + plain(h.get("value")))
                        + " (v" + h.get("version").getAsLong() + ")");
            }
        } else if (!quiet) {
            line(topic + " " + h);
        }
    }

    private static String plain(JsonElement e) {
        return e == null ? "null" : e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString()
                : e.toString();
    }

    public void report() {
        for (Map.Entry<String, CameraStats> e : cameras.entrySet()) {
            CameraStats s = e.getValue();
            line(String.format(Locale.ROOT, "camera/%s %dx%d %5.1f fps  latency %.1f ms (max %.1f)  %.2f MB/s  lost %d",
                    e.getKey(), s.width, s.height, (double) s.frames, s.frames == 0 ? 0 : s.latencySum / s.frames,
                    s.latencyMax, s.bytes / 1e6, s.lost));
            if (framesDir != null && s.latestJpeg != null) {
                writeJpeg(e.getKey(), s.latestJpeg);
            }
            s.nextSecond();
        }
    }

    private void writeJpeg(String camera, byte[] jpeg) {
        String safe = camera.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Path tmp = framesDir.resolve("." + safe + ".jpg.tmp");
            Files.write(tmp, jpeg);
            Files.move(tmp, framesDir.resolve(safe + ".jpg"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            line("cannot write " + safe + ".jpg: " + e.getMessage());
        }
    }

    private void summary(double seconds, boolean json) {
        if (framesDir != null) {
            cameras.forEach((id, s) -> {
                if (s.latestJpeg != null) {
                    writeJpeg(id, s.latestJpeg);
                }
            });
        }
        long frames = 0;
        long bytes = 0;
        long lost = 0;
        List<Double> all = new ArrayList<>();
        StringBuilder perCamera = new StringBuilder();
        for (Map.Entry<String, CameraStats> e : cameras.entrySet()) {
            CameraStats s = e.getValue();
            frames += s.totalFrames;
            bytes += s.totalBytes;
            lost += s.totalLost;
            all.addAll(s.latencies);
            List<Double> sorted = new ArrayList<>(s.latencies);
            sorted.sort(null);
            perCamera.append(String.format(Locale.ROOT,
                    "summary camera/%s: %d frames, %.1f fps, latency p50 %.1f ms p99 %.1f ms, lost %d%n", e.getKey(),
                    s.totalFrames, s.totalFrames / seconds, percentile(sorted, 50), percentile(sorted, 99),
                    s.totalLost));
        }
        all.sort(null);
        out.printf(Locale.ROOT, "summary: %.1f s, %d cameras, %.1f frames/s, latency p50 %.1f ms p99 %.1f ms, "
                + "%.2f MB/s, lost %d, %d readings, %d state changes%n", seconds, cameras.size(), frames / seconds,
                percentile(all, 50), percentile(all, 99), bytes / seconds / 1e6, lost, readings, states);
        out.print(perCamera);
        if (json) {
            final long f = frames;
            final long l = lost;
            final long b = bytes;
            out.println(WireJson.write(w -> w.beginObject().name("bench").value("edgegate-receive")
                    .name("seconds").value(seconds).name("cameras").value(cameras.size())
                    .name("frames_per_s").value(f / seconds).name("lat_p50_ms").value(percentile(all, 50))
                    .name("lat_p99_ms").value(percentile(all, 99)).name("mb_per_s").value(b / seconds / 1e6)
                    .name("lost").value(l).name("readings").value(readings).endObject()));
        }
        out.flush();
    }

    public static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    void line(String s) {
        out.println("[" + LocalTime.now().format(CLOCK) + "] " + s);
    }

    /** A native message's header, a JSON object; IllegalArgumentException says why it is not one. */
    private static JsonObject header(byte[] bytes) {
        JsonElement e;
        try {
            e = WireJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return e.getAsJsonObject();
    }
}
