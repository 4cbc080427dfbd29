package org.edgegate.zmq.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.state.StateEntry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/** The JSON conventions of the wire formats, on Gson: timestamps, state values, strict parsing. */
final class Json {
    private Json() {
    }

    /** Writes a JSON document with a {@link JsonWriter}; the body may not fail on a StringWriter. */
    interface Body {
        void write(JsonWriter w) throws IOException;
    }

    static String write(Body body) {
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
    static BigDecimal millis(Instant t) {
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 3);
    }

    /**
     * Writes a state or reading value: numbers as JSON numbers (a non-finite double as null), booleans,
     * strings, and bytes as {@code {"base64": "..."}}.
     */
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

    /** {@code "key","value","version","ts"} of an entry (ts: epoch milliseconds of the write). */
    static void entryFields(JsonWriter w, StateEntry e) throws IOException {
        w.name("key").value(e.key());
        w.name("value");
        value(w, e.value());
        w.name("version").value(e.version());
        w.name("ts").value(e.timestamp());
    }

    /** Reads a state value from JSON: the inverse of {@link #value}. */
    static Object stateValue(JsonElement v) {
        if (v == null || v.isJsonNull()) {
            throw new IllegalArgumentException("value is missing");
        }
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
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
        if (v.isJsonObject() && v.getAsJsonObject().size() == 1 && v.getAsJsonObject().has("base64")) {
            JsonElement b = v.getAsJsonObject().get("base64");
            if (b.isJsonPrimitive() && b.getAsJsonPrimitive().isString()) {
                try {
                    return Base64.getDecoder().decode(b.getAsString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("value.base64 is not base64: " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException(
                "value must be a number, a boolean, a string or {\"base64\": \"...\"} for bytes");
    }

    /** Parses one JSON object strictly (no comments, no single quotes, nothing after it). */
    static JsonObject parseObject(String text) {
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("not JSON: text after the request object");
            }
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("the request must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getMessage();
            throw new IllegalArgumentException("not JSON: " + readable(why));
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
