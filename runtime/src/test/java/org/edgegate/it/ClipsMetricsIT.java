package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.edgegate.api.state.StateService;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The clips' counters in {@code /metrics} (docs/clips.md): the shipped runtime's demo camera buffered for a rule
 * on a state key this test writes, scraped over HTTP with the console's login and checked by
 * {@code promtool check metrics}; the counters must match the files the clips left.
 */
@ExamReactorStrategy(PerClass.class)
public class ClipsMetricsIT extends GatewayTestSupport {
    private static final String RULE_PID = "org.edgegate.clips.rule";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String KEY = "test/clips/level";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void perRuleAndPerRingCountersMatchTheClipsWritten() throws Exception {
        StateService state = awaitService(StateService.class);
        state.put(KEY, 0);
        // A rule whose folder is a file: its clips cannot be made, so they count as failed.
        Path clips = home().resolve("data/clips");
        Files.createDirectories(clips);
        Files.writeString(clips.resolve("blocked"), "not a folder");
        createFactoryConfiguration(RULE_PID, "metered", Map.of("id", "metered", "when", KEY + " > 1",
                "cameras", new String[] {"demo"}, "before", 1, "after", 1, "cooldown", 0, "retain.days", 1));
        Configuration blocked = createFactoryConfiguration(RULE_PID, "blocked", Map.of("id", "blocked",
                "when", KEY + " > 1", "cameras", new String[] {"demo"}, "before", 1, "after", 1, "cooldown", 0));

        String first = awaitValue("the demo camera's ring in /metrics", WAIT, () -> {
            String t = scrape();
            return value(t, "edgegate_clips_ring_frames{camera=\"demo\"}") > 0
                    && t.contains("edgegate_clips_started_total{rule=\"blocked\"} 0") ? t : null;
        });
        double ringBytes = value(first, "edgegate_clips_ring_bytes{camera=\"demo\"}");
        assertTrue(first, ringBytes > 0);
        assertTrue(first, value(first, "edgegate_clips_ring_memory_bytes{camera=\"demo\"}") >= ringBytes);
        assertTrue(first, value(first, "edgegate_clips_ring_max_bytes{camera=\"demo\"}") >= ringBytes);
        assertTrue(first, value(first, "edgegate_clips_ring_buffered_frames_total{camera=\"demo\"}")
                >= value(first, "edgegate_clips_ring_frames{camera=\"demo\"}"));
        assertEquals(first, 0, value(first, "edgegate_clips_written_total{rule=\"metered\"}"), 0);
        assertTrue(first, first.contains("# TYPE edgegate_clips_written_bytes_total counter"));
        assertTrue(first, first.contains("# TYPE edgegate_clips_ring_bytes gauge"));
        assertEquals("promtool on\n" + first, "", MetricsIT.promtool(first));

        // A crossing: a clip written for one rule, one failed for the other.
        Path clip = crossing(clips.resolve("metered"), List.of(), state);
        String second = awaitValue("the clip counted", WAIT, () -> {
            String t = scrape();
            return value(t, "edgegate_clips_written_total{rule=\"metered\"}") == 1 ? t : null;
        });
        JsonObject manifest = JsonParser.parseString(Files.readString(clip.resolve("manifest.json"))).getAsJsonObject();
        long frames = manifest.getAsJsonArray("cameras").get(0).getAsJsonObject().get("frames").getAsLong();
        long avi = Files.size(clip.resolve("demo.avi"));
        assertTrue(manifest.toString(), frames > 0);
        assertEquals(second, 1, value(second, "edgegate_clips_started_total{rule=\"metered\"}"), 0);
        assertEquals(second, frames, value(second, "edgegate_clips_frames_total{rule=\"metered\"}"), 0);
        // everything but the index (8 bytes and 16 a frame, written when the clip ends)
        assertEquals(second, avi - 8 - 16 * frames, value(second, "edgegate_clips_written_bytes_total{rule=\"metered\"}"), 0);
        assertEquals(second, 1, value(second, "edgegate_clips_failed_total{rule=\"blocked\"}"), 0);
        assertEquals(second, 0, value(second, "edgegate_clips_written_total{rule=\"blocked\"}"), 0);
        assertEquals("promtool on\n" + second, "", MetricsIT.promtool(second));

        // Retention: the clip made a year old; the next clip's retention removes it, counted for its rule.
        manifest.addProperty("last", System.currentTimeMillis() - 366L * 86_400_000L);
        Files.writeString(clip.resolve("manifest.json"), manifest.toString());
        crossing(clips.resolve("metered"), List.of(clip), state);
        String third = awaitValue("the removal counted", WAIT, () -> {
            String t = scrape();
            return value(t, "edgegate_clips_removed_total{rule=\"metered\"}") == 1 ? t : null;
        });
        assertFalse(Files.exists(clip));
        assertEquals(third, 2, value(third, "edgegate_clips_written_total{rule=\"metered\"}"), 0);
        assertEquals("promtool on\n" + third, "", MetricsIT.promtool(third));

        // A removed rule's series leave: the labels are the rules configured, no more.
        blocked.delete();
        await("the removed rule gone from /metrics", WAIT, () -> !scrape().contains("rule=\"blocked\""));
    }

    /** The key crosses the line and falls back; the new clip's folder once its manifest says complete. */
    private static Path crossing(Path ruleDir, List<Path> known, StateService state) throws Exception {
        state.put(KEY, 5);
        Path clip = awaitValue("a new clip", WAIT, () -> newest(ruleDir, known));
        state.put(KEY, 0);
        await("the clip complete", WAIT, () -> complete(clip));
        return clip;
    }

    private static boolean complete(Path clip) {
        try {
            return JsonParser.parseString(Files.readString(clip.resolve("manifest.json"))).getAsJsonObject()
                    .get("state").getAsString().equals("complete");
        } catch (IOException | RuntimeException e) {
            return false; // being written
        }
    }

    private static Path newest(Path ruleDir, List<Path> known) {
        try (Stream<Path> s = Files.list(ruleDir)) {
            return s.filter(p -> !known.contains(p) && Files.exists(p.resolve("manifest.json"))).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private String scrape() {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + context.getProperty("org.osgi.service.http.port") + "/metrics")).timeout(Duration.ofSeconds(10))
                .header("Authorization", TestLogin.basic()).GET().build();
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return resp.statusCode() == 200 ? resp.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A series' value, -1 when absent. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
