package org.edgegate.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class DashboardDataTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    public void sensorsCarryStatisticsAndTheLastReadingWithUnits() throws Exception {
        JsonObject json = json(DashboardData.read(NOW, List.of(), List.of(new FakeSensor("th")), List.of(), null, ""));
        JsonObject s = json.getAsJsonArray("sensors").get(0).getAsJsonObject();
        assertEquals("th", s.get("id").getAsString());
        assertEquals("sim:th?rate=1", s.get("port").getAsString());
        assertEquals("OPEN", s.get("state").getAsString());
        assertEquals(42, s.get("lines").getAsLong());
        assertEquals(1, s.get("parseErrors").getAsLong());
        assertEquals(NOW.minusSeconds(1).toEpochMilli(), s.get("lastSeen").getAsLong());
        JsonArray values = s.getAsJsonObject("reading").getAsJsonArray("values");
        assertEquals("temperature", values.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(-5.5, values.get(0).getAsJsonObject().get("value").getAsDouble(), 0);
        assertEquals("°C", values.get(0).getAsJsonObject().get("unit").getAsString());
        assertEquals("ok", values.get(1).getAsJsonObject().get("value").getAsString());
        assertEquals("", values.get(1).getAsJsonObject().get("unit").getAsString());
        assertEquals(NOW.toEpochMilli(), json.get("now").getAsLong());
    }

    @Test
    public void camerasAndHealthAreSortedByKindAndId() throws Exception {
        FakeCamera b = new FakeCamera("b");
        FakeCamera a = new FakeCamera("a");
        FakeSensor s = new FakeSensor("z");
        JsonObject json = json(DashboardData.read(NOW, List.of(s, b, a), List.of(s), List.of(b, a), null, ""));
        JsonArray health = json.getAsJsonArray("health");
        assertEquals("camera/a camera/b sensor/z", ids(health));
        JsonObject cam = json.getAsJsonArray("cameras").get(0).getAsJsonObject();
        assertEquals("a", cam.get("id").getAsString());
        assertEquals(320, cam.get("width").getAsInt());
        assertEquals(25.0, cam.get("fps").getAsDouble(), 0);
        assertTrue(cam.get("running").getAsBoolean());
        assertEquals("STOPPED", health.get(0).getAsJsonObject().get("state").getAsString());
        assertEquals("stopped <by> 'user'", health.get(0).getAsJsonObject().get("reason").getAsString());
    }

    @Test
    public void aServiceThatThrowsShowsAnErrorInItsRowAndTheRestIsThere() throws Exception {
        FakeCamera broken = new FakeCamera("broken") {
            @Override
            public CameraStatistics statistics() {
                throw new IllegalStateException("gone <now>");
            }
        };
        JsonObject json = json(DashboardData.read(NOW, List.of(), List.of(), List.of(broken, new FakeCamera("ok")), null, ""));
        JsonArray cams = json.getAsJsonArray("cameras");
        assertEquals(2, cams.size());
        assertEquals("gone <now>", cams.get(0).getAsJsonObject().get("error").getAsString());
        assertEquals(320, cams.get(1).getAsJsonObject().get("width").getAsInt());
    }

    @Test
    public void stateIsFilteredByPrefixAndMarkupIsEncoded() throws Exception {
        FakeState state = new FakeState();
        state.put("sensor/th/temperature", 21.5);
        state.put("ui/evil", "<script>alert('x')</script>&");
        state.put("ui/flag", true);
        state.put("ui/blob", new byte[] {1, 2, 3});
        Map<String, Object> data = DashboardData.read(NOW, List.of(), List.of(), List.of(), state, " ui/ ");
        StringWriter out = new StringWriter();
        DashboardData.write(data, out);
        String text = out.toString();
        assertFalse(text, text.contains("<"));
        assertFalse(text, text.contains(">"));
        assertFalse(text, text.contains("'"));
        assertTrue(text, text.contains("\\u003cscript\\u003e"));

        JsonObject st = JsonParser.parseString(text).getAsJsonObject().getAsJsonObject("state");
        assertEquals("ui/", st.get("prefix").getAsString());
        assertEquals(3, st.get("total").getAsInt());
        JsonArray entries = st.getAsJsonArray("entries");
        assertEquals("ui/blob", entries.get(0).getAsJsonObject().get("key").getAsString());
        assertEquals("bytes[3]:AQID", entries.get(0).getAsJsonObject().get("value").getAsString());
        assertEquals("BYTES", entries.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("<script>alert('x')</script>&", entries.get(1).getAsJsonObject().get("value").getAsString());
        assertTrue(entries.get(2).getAsJsonObject().get("value").getAsBoolean());
    }

    @Test
    public void stateWithoutTheServiceSaysSo() throws Exception {
        JsonObject st = json(DashboardData.read(NOW, List.of(), List.of(), List.of(), null, null)).getAsJsonObject("state");
        assertFalse(st.get("available").getAsBoolean());
        assertEquals(0, st.getAsJsonArray("entries").size());
    }

    @Test
    public void bigStatesAreCutAndLongTextsShortened() throws Exception {
        FakeState state = new FakeState();
        for (int i = 0; i < DashboardData.MAX_STATE_ENTRIES + 5; i++) {
            state.put(String.format("k/%05d", i), "x".repeat(i == 0 ? 5000 : 1));
        }
        JsonObject st = json(DashboardData.read(NOW, List.of(), List.of(), List.of(), state, "")).getAsJsonObject("state");
        assertEquals(DashboardData.MAX_STATE_ENTRIES + 5, st.get("total").getAsInt());
        assertEquals(DashboardData.MAX_STATE_ENTRIES, st.getAsJsonArray("entries").size());
        String first = st.getAsJsonArray("entries").get(0).getAsJsonObject().get("value").getAsString();
        assertEquals(DashboardData.MAX_TEXT + 1, first.length());
        assertTrue(first.endsWith("…"));
    }

    @Test
    public void nonFiniteNumbersBecomeNull() throws Exception {
        StringWriter out = new StringWriter();
        DashboardData.write(Map.of("fps", Double.NaN), out);
        assertEquals("{\"fps\":null}", out.toString());
    }

    @Test
    public void htmlEscapesTextAndAttributes() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                Html.escape("<a href=\"x\" title='y'>&</a>"));
    }

    // ---- helpers and fakes -------------------------------------------------------------------

    private static JsonObject json(Object data) throws Exception {
        StringWriter out = new StringWriter();
        DashboardData.write(data, out);
        return JsonParser.parseString(out.toString()).getAsJsonObject();
    }

    private static String ids(JsonArray rows) {
        List<String> ids = new ArrayList<>();
        for (JsonElement e : rows) {
            ids.add(e.getAsJsonObject().get("kind").getAsString() + "/" + e.getAsJsonObject().get("id").getAsString());
        }
        return String.join(" ", ids);
    }

    private static class FakeSensor implements Sensor {
        private final String id;

        FakeSensor(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Health health() {
            return new Health(HealthState.OPEN, "", NOW.minusSeconds(60));
        }

        @Override
        public String port() {
            return "sim:th?rate=1";
        }

        @Override
        public SensorStatistics statistics() {
            return new SensorStatistics(42, 420, 1, 0, 0, "T--5.5-S-ok", "", NOW.minusSeconds(1), 1.0);
        }

        @Override
        public Optional<Reading> lastReading() {
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("temperature", -5.5);
            values.put("status", "ok");
            return Optional.of(new Reading(id, 42, NOW.minusSeconds(1), values, Map.of("temperature", "°C"), "T--5.5-S-ok"));
        }

        @Override
        public void send(String text) {
            throw new UnsupportedOperationException();
        }
    }

    private static class FakeCamera implements Camera {
        private final String id;

        FakeCamera(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Health health() {
            return new Health(HealthState.STOPPED, "stopped <by> 'user'", NOW);
        }

        @Override
        public String source() {
            return "pattern:";
        }

        @Override
        public Optional<Frame> latest() {
            return Optional.empty();
        }

        @Override
        public Frame snapshot() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public CameraStatistics statistics() {
            return new CameraStatistics(320, 240, 25.0, 100, 2, 1.5, "");
        }
    }

    /** Just enough of a state for snapshots. */
    private static class FakeState implements StateService {
        private final TreeMap<String, StateEntry> entries = new TreeMap<>();
        private long version;

        @Override
        public Optional<StateEntry> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public StateEntry put(String key, Object value) {
            StateEntry e = new StateEntry(key, value, ++version, NOW.toEpochMilli());
            entries.put(key, e);
            return e;
        }

        @Override
        public CasResult compareAndSet(String key, long expectedVersion, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StateEntry> compute(String key, UnaryOperator<Object> remap) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StateEntry> remove(String key) {
            return Optional.ofNullable(entries.remove(key));
        }

        @Override
        public List<StateEntry> snapshot(String prefix) {
            return entries.values().stream().filter(e -> e.key().startsWith(prefix)).toList();
        }
    }
}
