package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

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

/** The bridge's message bodies: JSON headers as in the native ZeroMQ stream plus {@code gateway}, plain values. */
final class Payloads {
    static final byte[] EMPTY = new byte[0];

    private Payloads() {
    }

    interface Body {
        void write(JsonWriter w) throws IOException;
    }

    static byte[] json(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(true);
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"gateway","sensor","seq","ts","values","units","raw"}}: ts in epoch ms with a microsecond fraction. */
    static byte[] reading(String gateway, Reading r) {
        return json(w -> {
            w.beginObject();
            w.name("gateway").value(gateway);
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
            w.endObject();
        });
    }

    /** {@code {"gateway","camera","seq","ts","width","height","format","bytes"}}. */
    static byte[] camera(String gateway, Frame f, int bytes) {
        return json(w -> w.beginObject()
                .name("gateway").value(gateway)
                .name("camera").value(f.cameraId())
                .name("seq").value(f.sequence())
                .name("ts").value(millis(f.time()))
                .name("width").value(f.width())
                .name("height").value(f.height())
                .name("format").value("jpeg")
                .name("bytes").value(bytes)
                .endObject());
    }

    /** A state value as a JSON document: number, boolean, string, or {@code {"base64": ...}} for bytes. */
    static byte[] stateValue(Object value) {
        return json(w -> value(w, value));
    }

    /** One channel's value as plain text ({@code 25}, {@code 60.5}, {@code on}), for tools that want one number. */
    static byte[] plain(Object value) {
        String text;
        if (value instanceof Double d) {
            text = Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : "";
        } else if (value instanceof byte[] b) {
            text = Base64.getEncoder().encodeToString(b);
        } else {
            text = String.valueOf(value);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static BigDecimal millis(Instant t) {
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 3);
    }

    static void value(JsonWriter w, Object value) throws IOException {
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

    /**
     * The state value of a command payload: one JSON number, boolean or string (strict JSON, nothing after
     * it). Home Assistant's switch sends {@code true}/{@code false}, which are JSON.
     *
     * @throws IllegalArgumentException with a readable reason for anything else
     */
    static Object commandValue(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty payload (expected a JSON value such as true, 5 or \"text\")");
        }
        JsonElement e;
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the JSON value");
            }
        } catch (JsonParseException | IOException | IllegalStateException ex) {
            throw new IllegalArgumentException("not a JSON value: " + shorten(text));
        }
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("expected a JSON number, boolean or string, got " + shorten(text));
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        String number = p.getAsString();
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException notLong) {
            double d = Double.parseDouble(number);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("number out of range: " + shorten(number));
            }
            return d;
        }
    }

    static String shorten(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }
}
