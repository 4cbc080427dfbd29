package org.edgegate.wire;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.sensor.Reading;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * The JSON conventions of the wire formats, on Gson, for the ZeroMQ headers (docs/zmq.md) and the MQTT
 * payloads (docs/mqtt.md) alike: timestamps as epoch milliseconds with a microsecond fraction, values
 * (bytes as {@code {"base64": "..."}}, a non-finite number as null), the fields of a reading and of a frame,
 * strict parsing with readable messages.
 *
 * <p>Exported and versioned (not embedded like the kernel): the wire is policy that must be the same in every
 * bundle at run time. The gw: commands' {@code --json} output is another contract, for people and scripts
 * (ISO-8601 times): {@code org.edgegate.commands.Json}.
 */
public final class WireJson {
    private WireJson() {
    }

    /** Writes a JSON document with a {@link JsonWriter}; the body may not fail on a StringWriter. */
    public interface Body {
        void write(JsonWriter w) throws IOException;
    }

    /** The document the body writes (nulls written, not skipped). */
    public static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(true);
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Epoch milliseconds with a microsecond fraction, written as a plain JSON number
     * ({@code 1795781234567.125}), never in exponent notation.
     */
    public static BigDecimal millis(Instant t) {
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 3);
    }

    /**
     * Writes a state or reading value: numbers as JSON numbers (a non-finite double as null), booleans,
     * strings, and bytes as {@code {"base64": "..."}}.
     */
    public static void value(JsonWriter w, Object value) throws IOException {
        if (value == null) {
            w.nullValue();
        } else if (value instanceof Long || value instanceof Integer) {
            w.value(((Number) value).longValue());
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                w.value(d);
            } else {
                w.nullValue();
            }
        } else if (value instanceof Boolean b) {
            w.value(b.booleanValue());
        } else if (value instanceof byte[] bytes) {
            w.beginObject().name("base64").value(Base64.getEncoder().encodeToString(bytes)).endObject();
        } else {
            w.value(String.valueOf(value));
        }
    }

    /** The fields {@code "sensor","seq","ts","values","units","raw"} of a reading, inside an open object. */
    public static void readingFields(JsonWriter w, Reading r) throws IOException {
        w.name("sensor").value(r.sensorId());
        w.name("seq").value(r.sequence());
        w.name("ts").value(millis(r.time()));
        w.name("values").beginObject();
        for (Map.Entry<String, Object> e : r.values().entrySet()) {
            w.name(e.getKey());
            value(w, e.getValue());
        }
        w.endObject();
        w.name("units").beginObject();
        for (Map.Entry<String, String> e : r.units().entrySet()) {
            w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
        w.name("raw").value(r.raw());
    }

    /** The fields {@code "camera","seq","ts","width","height"} of a frame, inside an open object. */
    public static void frameFields(JsonWriter w, Frame f) throws IOException {
        w.name("camera").value(f.cameraId());
        w.name("seq").value(f.sequence());
        w.name("ts").value(millis(f.time()));
        w.name("width").value(f.width());
        w.name("height").value(f.height());
    }

    /**
     * Parses one JSON document strictly (no comments, no single quotes, nothing after it).
     *
     * @throws JsonParseException whose message says what is wrong and where ({@code malformed at line 1
     *         column 3}), without Gson's advice to parse leniently
     */
    public static JsonElement parse(String text) {
        JsonReader r = new JsonReader(new StringReader(text));
        r.setStrictness(Strictness.STRICT);
        JsonElement e;
        boolean more;
        try {
            e = JsonParser.parseReader(r);
            more = r.peek() != JsonToken.END_DOCUMENT;
        } catch (JsonParseException | IOException | IllegalStateException ex) {
            String why = ex.getCause() != null && ex.getCause().getMessage() != null ? ex.getCause().getMessage()
                    : ex.getMessage();
            throw new JsonParseException(readable(why), ex);
        }
        if (more) {
            throw new JsonParseException("text after the JSON value");
        }
        return e;
    }

    /**
     * A JSON number, boolean or string as Java: a whole number as {@code Long}, another number as a finite
     * {@code Double}, a boolean, a string.
     *
     * @throws IllegalArgumentException for a number out of the double range ({@code value 1e999 is out of range})
     */
    public static Object primitive(JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        String text = p.getAsString();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notALong) {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("value " + text + " is out of range");
            }
            return d;
        }
    }

    private static final Pattern WHERE = Pattern.compile("line \\d+ column \\d+");

    /** Gson's message without its advice to parse leniently and its links: what and where. */
    private static String readable(String gson) {
        if (gson == null) {
            return "malformed";
        }
        Matcher where = WHERE.matcher(gson);
        String at = where.find() ? " at " + where.group() : "";
        if (gson.contains("setStrictness")) {
            return "malformed" + at;
        }
        int cut = gson.indexOf(" at line ");
        return (cut > 0 ? gson.substring(0, cut) : gson.lines().findFirst().orElse("malformed")) + at;
    }
}
