package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.state.StateService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Event clips (bundle org.edgegate.clips) in the assembled runtime: a board on a socat pty whose MQ2 value
 * crosses a rule's line, a camera playing an MJPG .avi written by OpenCV; the clip's files are read by Debian's
 * ffprobe and by OpenCV, which must count the frames the manifest says.
 */
@ExamReactorStrategy(PerClass.class)
public class ClipsIT extends GatewayTestSupport {
    private static final String RULE_PID = "org.edgegate.clips.rule";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static int round;

    private final List<Configuration> configs = new ArrayList<>();
    private SocatPty pty;
    private Thread board;
    private volatile String boardValue = "100";
    private final AtomicBoolean boardRuns = new AtomicBoolean(true);
    private String sensor;
    private String camera;

    @Override
    protected boolean includeEtcFile(String fileName) {
        // no demo camera nor simulated boards: this test's own only
        return !fileName.startsWith("org.edgegate.camera-") && !fileName.startsWith("org.edgegate.serial.sensor-");
    }

    @Before
    public void boardAndCamera() throws Exception {
        round++;
        sensor = "gas" + round;
        camera = "cc" + round;
        Path video = Videos.write(home().resolve("videos"), camera + ".avi", 320, 240, 50);
        configs.add(createFactoryConfiguration("org.edgegate.camera", camera,
                Map.of("id", camera, "source", video.toString(), "width", 320, "height", 240, "fps", 25)));
        Camera cam = awaitService(Camera.class, "(id=" + camera + ")", WAIT);
        await("the camera captures", WAIT, () -> cam.latest().isPresent());
        pty = new SocatPty(home().resolve("pty")).start();
        configs.add(createFactoryConfiguration("org.edgegate.serial.sensor", sensor,
                Map.of("id", sensor, "port", pty.device().toString(), "parser", "dash")));
        // The board: a line every 50 ms with the value the test sets.
        boardRuns.set(true);
        board = new Thread(() -> {
            while (boardRuns.get()) {
                try {
                    pty.write("MQ2-" + boardValue + "\r\n");
                    Thread.sleep(50); // the board's own pace, not a wait for a condition
                } catch (Exception e) {
                    return;
                }
            }
        }, "clips-it-board");
        board.start();
        StateService state = awaitService(StateService.class);
        await("readings in the state", WAIT, () -> state.get(key()).isPresent());
    }

    @After
    public void stop() throws Exception {
        boardRuns.set(false);
        board.join(5000);
        for (Configuration c : configs) {
            try {
                c.delete();
            } catch (IllegalStateException gone) {
                // deleted by the test
            }
        }
        configs.clear();
        pty.kill();
    }

    private String key() {
        return "sensor/" + sensor + "/MQ2";
    }

    private Configuration rule(String id, Object... keyValues) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("id", id);
        props.put("cameras", new String[] {camera});
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        Configuration c = createFactoryConfiguration(RULE_PID, id, props);
        configs.add(c);
        return c;
    }

    private Monitored awaitRule(String id) {
        Monitored m = awaitService(Monitored.class, "(component.name=" + RULE_PID + ")", WAIT);
        return awaitValue("rule " + id, WAIT, () -> {
            try {
                for (var ref : context.getServiceReferences(Monitored.class, "(component.name=" + RULE_PID + ")")) {
                    Monitored r = context.getService(ref);
                    if (r != null && r.id().equals(id) && r.health().state() != HealthState.STARTING) {
                        return r;
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return m.id().equals(id) ? m : null;
        });
    }

    private Path clipsOf(String rule) {
        return home().resolve("data/clips").resolve(rule);
    }

    private List<Path> clipDirs(String rule) {
        if (!Files.isDirectory(clipsOf(rule))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(clipsOf(rule))) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject manifest(Path clip) {
        try {
            return JsonParser.parseString(Files.readString(clip.resolve("manifest.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The rule's complete clips, oldest first. */
    private List<JsonObject> complete(String rule) {
        List<JsonObject> out = new ArrayList<>();
        for (Path d : clipDirs(rule)) {
            JsonObject m = manifest(d);
            if (m != null && m.get("state").getAsString().equals("complete")) {
                out.add(m);
            }
        }
        return out;
    }

    private void cross(String high, String low, Duration hold) throws Exception {
        boardValue = high;
        Thread.sleep(hold.toMillis()); // the board holds the value this long (the crossing's length, not a wait)
        boardValue = low;
    }

    /** ffprobe (Debian's ffmpeg) counts the frames it decodes; OpenCV counts the frames it reads. */
    static void assertReadableWithFrames(Path avi, int frames, int width) {
        Command.Result probe = Command.run(Duration.ofSeconds(60), null, List.of("ffprobe", "-v", "error",
                "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,codec_name",
                "-of", "default=nw=1", avi.toString()));
        assertEquals(probe.output(), 0, probe.status());
        assertTrue(probe.output(), probe.output().contains("codec_name=mjpeg"));
        assertTrue(avi + ": " + probe.output() + " (manifest: " + frames + ")",
                probe.output().contains("nb_read_frames=" + frames + "\n"));
        Videos.opencv();
        VideoCapture cap = new VideoCapture(avi.toString(), Videoio.CAP_OPENCV_MJPEG);
        try {
            assertTrue("OpenCV opens " + avi, cap.isOpened());
            org.opencv.core.Mat m = new org.opencv.core.Mat();
            int n = 0;
            while (cap.read(m) && !m.empty()) {
                n++;
                assertEquals(width, m.cols());
            }
            m.release();
            assertEquals("frames OpenCV reads in " + avi, frames, n);
        } finally {
            cap.release();
        }
    }

    private static List<JsonObject> sidecar(Path clip) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(clip.resolve("readings.jsonl"), StandardCharsets.UTF_8)) {
            out.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return out;
    }

    @Test
    public void aCrossingKeepsWhatTheCameraSawBeforeAndAfterWithTheReadingsAndTheCooldownHolds() throws Exception {
        String id = "smoke" + round;
        rule(id, "when", key() + " >= 400", "before", 2, "after", 1, "cooldown", 600);
        Monitored rule = awaitRule(id);
        assertEquals(rule.health().reason(), HealthState.OPEN, rule.health().state());
        // the pre-roll fills: the ring holds at least the 2 s before
        await("2 s of pre-roll", WAIT, () -> {
            try {
                return gogo("gw:clips").matches("(?s).*" + camera + ": \\d+ frames, [\\d.]+ of \\d+ MiB, ([3-9]|2\\.[5-9]).*");
            } catch (Exception e) {
                return false;
            }
        });
        List<org.osgi.service.event.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        var handler = context.registerService(org.osgi.service.event.EventHandler.class, events::add,
                new java.util.Hashtable<>(Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC,
                        "org/edgegate/clips/COMPLETE")));
        cross("500", "100", Duration.ofMillis(500));
        await("a complete clip", WAIT, () -> complete(id).size() == 1);
        JsonObject m = complete(id).get(0);
        // Event Admin tells other bundles (MQTT) of the clip, with its manifest
        await("the clip's event", WAIT, () -> events.stream().anyMatch(e -> m.get("clip").getAsString()
                .equals(e.getProperty("clip")) && String.valueOf(e.getProperty("manifest")).contains("\"cameras\"")));
        handler.unregister();
        Path dir = clipsOf(id).resolve(m.get("clip").getAsString());
        JsonObject cam = m.getAsJsonArray("cameras").get(0).getAsJsonObject();
        int frames = cam.get("frames").getAsInt();
        assertTrue(m.toString(), frames > 50);
        assertReadableWithFrames(dir.resolve(camera + ".avi"), frames, 320);

        List<JsonObject> lines = sidecar(dir);
        long crossing = -1;
        long fellBack = -1;
        int frameLines = 0;
        for (JsonObject l : lines) {
            String type = l.get("type").getAsString();
            if (type.equals("reading") && crossing < 0 && l.getAsJsonObject("values").get("MQ2").getAsDouble() >= 400) {
                crossing = l.get("t").getAsLong(); // the crossing line's time stamp
            } else if (type.equals("state") && crossing >= 0 && fellBack < 0 && l.get("key").getAsString().equals(key())
                    && l.get("value").getAsDouble() < 400) {
                fellBack = l.get("t").getAsLong();
            } else if (type.equals("frame")) {
                frameLines++;
            }
        }
        assertTrue("the sidecar holds the crossing reading", crossing > 0);
        assertTrue("the sidecar holds the value falling back", fellBack > crossing);
        assertEquals("a frame line per frame", frames, frameLines);
        assertTrue("first frame " + cam.get("first") + " at least 2 s before the crossing " + crossing,
                cam.get("first").getAsLong() <= crossing - 2000);
        assertTrue("last frame " + cam.get("last") + " at least 1 s after the fall " + fellBack,
                cam.get("last").getAsLong() >= fellBack + 1000);
        assertEquals(500.0, m.getAsJsonObject("trigger").getAsJsonObject("values").get(key()).getAsDouble(), 0);

        // The cooldown: a second crossing within 600 s starts no clip; the rule says it held one back.
        cross("600", "100", Duration.ofMillis(300));
        await("the crossing held back", WAIT, () -> rule.health().reason().contains("1 held back by the cooldown"));
        assertEquals(1, clipDirs(id).size());
    }

    @Test
    public void aRuleChangedOrRemovedAtRunTimeTakesEffectAndABadConditionFailsWithItsPosition() throws Exception {
        String changed = "chg" + round;
        String control = "ctl" + round;
        Configuration c = rule(changed, "when", key() + " >= 1000", "before", 1, "after", 0, "cooldown", 0);
        rule(control, "when", key() + " >= 400", "before", 1, "after", 0, "cooldown", 0);
        awaitRule(changed);
        awaitRule(control);
        cross("500", "100", Duration.ofMillis(300));
        await("the control's clip", WAIT, () -> complete(control).size() == 1);
        assertEquals("500 does not cross 1000", 0, clipDirs(changed).size());

        Map<String, Object> props = new HashMap<>();
        props.put("id", changed);
        props.put("cameras", new String[] {camera});
        props.put("when", key() + " >= 400");
        props.put("before", 1);
        props.put("after", 0);
        props.put("cooldown", 0);
        updateConfiguration(c, props);
        await("the changed rule", WAIT, () -> awaitRule(changed).health().reason().contains(">= 400"));
        cross("500", "100", Duration.ofMillis(300));
        await("the changed rule's clip", WAIT, () -> complete(changed).size() == 1 && complete(control).size() == 2);

        configs.remove(c);
        deleteConfiguration(c);
        await("the rule gone", WAIT, () -> {
            try {
                return context.getServiceReferences(Monitored.class, "(component.name=" + RULE_PID + ")").stream()
                        .noneMatch(r -> changed.equals(context.getService(r).id()));
            } catch (Exception e) {
                return false;
            }
        });
        cross("500", "100", Duration.ofMillis(300));
        await("the control's third clip", WAIT, () -> complete(control).size() == 3);
        assertEquals("the removed rule recorded nothing more", 1, clipDirs(changed).size());

        String bad = "bad" + round;
        rule(bad, "when", key() + " >= 400 and (" + key() + " < ");
        Monitored b = awaitRule(bad);
        assertEquals(HealthState.FAILED, b.health().state());
        assertTrue(b.health().reason(), b.health().reason().contains("at position " + (key().length() * 2 + 17)));
        assertTrue(gogo("gw:status"), gogo("gw:status").contains(bad));
    }

    @Test
    public void retentionRemovesTheOldestAndManualClipsRecord() throws Exception {
        String id = "ret" + round;
        rule(id, "when", key() + " >= 400", "before", 1, "after", 1, "cooldown", 0, "retain.maxMiB", 1);
        awaitRule(id);
        // Clips until the made ones pass 1 MiB together: then the oldest must go.
        List<String> made = new ArrayList<>();
        long madeBytes = 0;
        for (int i = 0; i < 20 && madeBytes <= 1 << 20; i++) {
            int n = i + 1;
            cross("500", "100", Duration.ofMillis(300));
            await("clip " + n, WAIT, () -> {
                for (Path d : clipDirs(id)) {
                    JsonObject m = manifest(d);
                    if (m != null && m.get("state").getAsString().equals("complete") && !made.contains(d.getFileName().toString())) {
                        made.add(d.getFileName().toString());
                    }
                }
                return made.size() >= n;
            });
            Path newest = clipsOf(id).resolve(made.get(made.size() - 1));
            try (Stream<Path> files = Files.list(newest)) {
                for (Path f : files.toList()) {
                    madeBytes += Files.size(f);
                }
            }
        }
        assertTrue("clips made: " + made.size() + ", " + madeBytes + " bytes", madeBytes > 1 << 20);
        await("the oldest removed", WAIT, () -> !Files.exists(clipsOf(id).resolve(made.get(0))));
        assertTrue("the newest kept", Files.exists(clipsOf(id).resolve(made.get(made.size() - 1))));
        long total = 0;
        for (Path d : clipDirs(id)) {
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.toList()) {
                    total += Files.size(f);
                }
            }
        }
        assertTrue("within retain.maxMiB after removal: " + total, total <= 1 << 20 || clipDirs(id).size() == 1);
        String listing = gogo("gw:clips");
        assertFalse(listing, listing.contains(" 0 removed by retention"));

        String answer = gogo("gw:clips record " + camera + " 1");
        assertTrue(answer, answer.contains("recording clip manual-"));
        String clip = answer.substring(answer.indexOf("manual-"), answer.indexOf(" (")).trim();
        await("the manual clip complete", WAIT, () -> {
            JsonObject mm = manifest(clipsOf("manual").resolve(clip));
            return mm != null && mm.get("state").getAsString().equals("complete");
        });
        JsonObject m = manifest(clipsOf("manual").resolve(clip));
        int frames = m.getAsJsonArray("cameras").get(0).getAsJsonObject().get("frames").getAsInt();
        assertTrue(m.toString(), frames >= 10);
        assertReadableWithFrames(clipsOf("manual").resolve(clip).resolve(camera + ".avi"), frames, 320);
        JsonElement json = JsonParser.parseString(gogo("gw:clips list --json"));
        assertTrue(json.toString(), json.getAsJsonArray().size() >= 2);
    }

    private static int httpPort(org.osgi.framework.BundleContext context) {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    private java.net.http.HttpResponse<byte[]> http(String method, String path, String body, boolean login)
            throws Exception {
        String base = "http://127.0.0.1:" + httpPort(context);
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).header("Origin", base);
        if (login) {
            b.header("Authorization", TestLogin.basic());
        }
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    public void clipsOverHttpBehindTheLoginListedDownloadedAndReplayedFrameByFrame() throws Exception {
        String path = "/edgegate/clips/";
        await("the clips servlet", WAIT, () -> {
            try {
                return http("GET", path, null, true).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(401, http("GET", path, null, false).statusCode());
        var bad = http("POST", path + "record", "cameras=nocam&seconds=1", true);
        assertEquals(new String(bad.body(), StandardCharsets.UTF_8), 400, bad.statusCode());
        var rec = http("POST", path + "record", "cameras=" + camera + "&seconds=1", true);
        String answer = new String(rec.body(), StandardCharsets.UTF_8);
        assertEquals(answer, 200, rec.statusCode());
        String clip = answer.substring(answer.indexOf("manual-")).trim();
        await("the manual clip complete", WAIT, () -> {
            JsonObject m = manifest(clipsOf("manual").resolve(clip));
            return m != null && m.get("state").getAsString().equals("complete");
        });
        JsonObject m = manifest(clipsOf("manual").resolve(clip));
        JsonObject cam = m.getAsJsonArray("cameras").get(0).getAsJsonObject();
        int frames = cam.get("frames").getAsInt();

        String list = new String(http("GET", path, null, true).body(), StandardCharsets.UTF_8);
        assertTrue(list, list.contains("\"clip\":\"" + clip + "\""));
        Path avi = clipsOf("manual").resolve(clip).resolve(camera + ".avi");
        var download = http("GET", path + clip + "/" + camera + ".avi", null, true);
        assertEquals(200, download.statusCode());
        assertTrue("the .avi as stored", java.util.Arrays.equals(Files.readAllBytes(avi), download.body()));
        assertEquals("320x240", Videos.decodedSize(http("GET", path + clip + "/" + camera + ".jpg", null, true).body()));
        for (String hostile : List.of("..%2F..%2Fetc/manifest.json", clip + "/..%2Fmanifest.json", clip + "/x.sh",
                "nosuchclip/manifest.json", clip + "/" + camera + ".avi/extra")) {
            int status = http("GET", path + hostile, null, true).statusCode();
            assertTrue(hostile + ": " + status, status == 404 || status == 400); // Jetty refuses %2F itself
        }

        long started = System.nanoTime();
        var replay = http("GET", path + clip + "/" + camera + ".mjpg", null, true);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, replay.statusCode());
        String text = new String(replay.body(), StandardCharsets.ISO_8859_1);
        List<Long> stamps = new ArrayList<>();
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("X-Timestamp: (\\d+)\\.(\\d{3})").matcher(text);
        while (x.find()) {
            stamps.add(Long.parseLong(x.group(1)) * 1000 + Long.parseLong(x.group(2)));
        }
        assertEquals("one part per frame", frames, stamps.size());
        List<Long> recorded = new ArrayList<>();
        for (JsonObject l : sidecar(clipsOf("manual").resolve(clip))) {
            if (l.get("type").getAsString().equals("frame")) {
                recorded.add(l.get("t").getAsLong());
            }
        }
        assertEquals("the parts carry the frames' own capture times", recorded, stamps);
        System.out.println("ClipsIT: replay of " + frames + " frames spanning " + (stamps.get(stamps.size() - 1)
                - stamps.get(0)) + " ms took " + tookMs + " ms");
        String script = new String(http("GET", path + "dashboard.js", null, true).body(), StandardCharsets.UTF_8);
        assertTrue(script.contains("eg-clips"));
    }
}
