package org.edgegate.webconsole.internal;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValues;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import com.google.gson.stream.JsonWriter;

/**
 * What the dashboard shows, read from the gateway's services at one moment and written as JSON.
 * Every item is read inside its own try, so one misbehaving service shows an error in its row
 * instead of breaking the page. The JSON is HTML-safe ({@code <}, {@code >}, {@code &}, {@code '},
 * {@code =} as {@code \}u escapes): ids, values and reasons come from configuration and devices.
 */
final class DashboardData {
    /** At most this many state entries are sent; the rest is counted ({@code total}). */
    static final int MAX_STATE_ENTRIES = 1000;
    /** Longer texts (state strings, bytes, last lines, reasons) are cut here, with an ellipsis. */
    static final int MAX_TEXT = 1024;

    private DashboardData() {
    }

    /** Everything: health, sensors, cameras and the state under {@code prefix}. */
    static Map<String, Object> read(Instant now, Collection<? extends Monitored> monitored,
            Collection<? extends Sensor> sensors, Collection<? extends Camera> cameras, StateService state,
            String prefix) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("now", now.toEpochMilli());
        data.put("health", health(monitored));
        data.put("sensors", sensors(sensors));
        data.put("cameras", cameras(cameras));
        data.put("state", state(state, prefix));
        return data;
    }

    static List<Map<String, Object>> health(Collection<? extends Monitored> monitored) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Monitored m : sorted(monitored)) {
            Map<String, Object> row = identity(m);
            try {
                health(row, m.health());
            } catch (RuntimeException e) {
                row.put("error", problem(e));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<Map<String, Object>> sensors(Collection<? extends Sensor> sensors) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Sensor s : sorted(sensors)) {
            Map<String, Object> row = identity(s);
            try {
                row.put("port", text(s.port()));
                health(row, s.health());
                SensorStatistics st = s.statistics();
                row.put("lines", st.lines());
                row.put("bytes", st.bytes());
                row.put("parseErrors", st.parseErrors());
                row.put("droppedLines", st.droppedLines());
                row.put("reconnects", st.reconnects());
                row.put("linesPerSecond", st.linesPerSecond());
                row.put("lastLine", text(st.lastLine()));
                row.put("lastError", text(st.lastError()));
                row.put("lastSeen", st.lastSeen() == null ? null : st.lastSeen().toEpochMilli());
                row.put("reading", s.lastReading().map(DashboardData::reading).orElse(null));
            } catch (RuntimeException e) {
                row.put("error", problem(e));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> reading(Reading r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", r.sequence());
        out.put("time", r.time().toEpochMilli());
        List<Map<String, Object>> values = new ArrayList<>();
        r.values().forEach((name, value) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", text(name));
            v.put("value", value instanceof Number ? value : text(String.valueOf(value)));
            v.put("unit", text(r.units().getOrDefault(name, "")));
            values.add(v);
        });
        out.put("values", values);
        return out;
    }

    static List<Map<String, Object>> cameras(Collection<? extends Camera> cameras) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Camera c : sorted(cameras)) {
            Map<String, Object> row = identity(c);
            try {
                row.put("source", text(c.source()));
                health(row, c.health());
                row.put("running", c.isRunning());
                CameraStatistics st = c.statistics();
                row.put("width", st.width());
                row.put("height", st.height());
                row.put("fps", st.fps());
                row.put("frames", st.frames());
                row.put("dropped", st.dropped());
                row.put("encodeMillis", st.meanEncodeMillis());
                row.put("jpeg", text(c.jpegPath().toString()));
                row.put("lastError", text(st.lastError()));
            } catch (RuntimeException e) {
                row.put("error", problem(e));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<Map<String, Object>> endpoints(Collection<? extends Endpoint> endpoints) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Endpoint e : sorted(endpoints)) {
            Map<String, Object> row = identity(e);
            try {
                row.put("mode", text(e.mode()));
                row.put("address", text(e.address()));
                health(row, e.health());
                EndpointStatistics st = e.statistics();
                row.put("sent", st.sent());
                row.put("dropped", st.dropped());
                row.put("errors", st.errors());
                row.put("lastError", text(st.lastError()));
            } catch (RuntimeException ex) {
                row.put("error", problem(ex));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Where each monitored thing is configured, for links into the console's Configuration tab:
     * {@code items} maps {@code kind/id} to its configuration PID, {@code factories} maps each kind to its
     * factory PID (for "add one"). Read from the services' {@code service.pid} and
     * {@code service.factoryPid} properties, which DS copies from the configuration.
     */
    static Map<String, Object> configurations(BundleContext context) {
        Map<String, Object> items = new LinkedHashMap<>();
        Map<String, Object> factories = new LinkedHashMap<>(KNOWN_FACTORIES);
        try {
            ServiceReference<?>[] refs = context == null ? null
                    : context.getAllServiceReferences(Monitored.class.getName(), null);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object pid = ref.getProperty(Constants.SERVICE_PID);
                Object factory = ref.getProperty("service.factoryPid");
                Monitored m = (Monitored) context.getService(ref);
                if (m == null) {
                    continue;
                }
                try {
                    if (pid instanceof String p) {
                        items.put(m.kind() + "/" + m.id(), text(p));
                    }
                    if (factory instanceof String f) {
                        factories.putIfAbsent(m.kind(), text(f));
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (RuntimeException | InvalidSyntaxException e) {
            // links are a convenience: the page works without them
        }
        return Map.of("items", items, "factories", factories);
    }

    /** The factory PIDs of the kinds the gateway ships, so "add" works before the first one exists. */
    static final Map<String, Object> KNOWN_FACTORIES = Map.of("sensor", "org.edgegate.serial.sensor",
            "camera", "org.edgegate.camera", "endpoint", "org.edgegate.zmq.endpoint");

    static Map<String, Object> state(StateService state, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        String p = prefix == null ? "" : prefix.strip();
        out.put("prefix", text(p));
        out.put("available", state != null);
        if (state == null) {
            out.put("entries", List.of());
            return out;
        }
        try {
            List<StateEntry> entries = state.snapshot(p);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StateEntry e : entries.subList(0, Math.min(entries.size(), MAX_STATE_ENTRIES))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key", text(e.key()));
                row.put("type", e.type().name());
                row.put("value", e.value() instanceof Number || e.value() instanceof Boolean
                        ? e.value() : text(StateValues.format(e.value())));
                row.put("version", e.version());
                row.put("time", e.timestamp());
                rows.add(row);
            }
            out.put("total", entries.size());
            out.put("entries", rows);
        } catch (RuntimeException e) {
            out.put("entries", List.of());
            out.put("error", problem(e));
        }
        return out;
    }

    /** Writes a tree of maps, lists, strings, numbers and booleans as HTML-safe JSON. */
    static void write(Object value, Writer out) throws IOException {
        JsonWriter json = new JsonWriter(out);
        json.setHtmlSafe(true);
        json.setSerializeNulls(true);
        value(json, value);
        json.flush();
    }

    private static void value(JsonWriter json, Object value) throws IOException {
        if (value == null) {
            json.nullValue();
        } else if (value instanceof Map<?, ?> map) {
            json.beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                json.name(String.valueOf(e.getKey()));
                value(json, e.getValue());
            }
            json.endObject();
        } else if (value instanceof Collection<?> list) {
            json.beginArray();
            for (Object item : list) {
                value(json, item);
            }
            json.endArray();
        } else if (value instanceof Boolean b) {
            json.value(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                json.value(d);
            } else {
                json.nullValue(); // JSON has no NaN or infinity
            }
        } else if (value instanceof Number n) {
            json.value(n.longValue());
        } else {
            json.value(value.toString());
        }
    }

    private static Map<String, Object> identity(Monitored m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", text(safe(m::kind)));
        row.put("id", text(safe(m::id)));
        return row;
    }

    private static void health(Map<String, Object> row, Health h) {
        row.put("state", h.state().name());
        row.put("reason", text(h.reason()));
        row.put("since", h.since().toEpochMilli());
    }

    private static <T extends Monitored> List<T> sorted(Collection<T> items) {
        List<T> list = new ArrayList<>(items == null ? List.of() : items);
        list.sort(Comparator.comparing((T m) -> safe(m::kind)).thenComparing(m -> safe(m::id)));
        return list;
    }

    private static String safe(java.util.function.Supplier<String> s) {
        try {
            String v = s.get();
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String problem(RuntimeException e) {
        return text(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    static String text(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }
}
