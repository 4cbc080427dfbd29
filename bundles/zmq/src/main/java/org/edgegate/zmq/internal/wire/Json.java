package org.edgegate.zmq.internal.wire;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import org.edgegate.api.state.StateEntry;
import org.edgegate.wire.WireJson;
import org.edgegate.commands.Text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/** The JSON of the state protocol, on the kernel's {@link WireJson} (the wire formats' one set of conventions). */
public final class Json {
    private Json() {
    }

    static String write(WireJson.Body body) {
        return WireJson.write(body);
    }

    /** See {@link WireJson#millis}: {@code 1795781234567.125}. */
    static BigDecimal millis(Instant t) {
        return WireJson.millis(t);
    }

    /** {@code "key","value","version","ts"} of an entry (ts: epoch milliseconds of the write). */
    static void entryFields(JsonWriter w, StateEntry e) throws IOException {
        w.name("key").value(e.key());
        w.name("value");
        WireJson.value(w, e.value());
        w.name("version").value(e.version());
        w.name("ts").value(e.timestamp());
    }

    /** Reads a state value from JSON: the inverse of {@link WireJson#value}. */
    static Object stateValue(JsonElement v) {
        if (v == null || v.isJsonNull()) {
            throw new IllegalArgumentException("value is missing");
        }
        if (v.isJsonPrimitive()) {
            return WireJson.primitive(v.getAsJsonPrimitive());
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

    /**
     * Parses one JSON object strictly: no comments, no single quotes, nothing after it, no byte order mark
     * (Gson skips one), no name twice in an object (Gson keeps the last: a request could mean two things).
     */
    public static JsonObject parseObject(String text) {
        if (text.startsWith("\uFEFF")) {
            throw new IllegalArgumentException("not JSON: it starts with a byte order mark (U+FEFF); send UTF-8 "
                    + "without one");
        }
        JsonElement e;
        try {
            e = WireJson.parse(text);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("the request must be a JSON object");
        }
        String twice = duplicateName(text);
        if (twice != null) {
            throw new IllegalArgumentException("not JSON this endpoint accepts: \"" + Text.shorten(twice, 60)
                    + "\" appears twice in one object");
        }
        return e.getAsJsonObject();
    }

    /** The first name that appears twice in one object of valid JSON text, or null. */
    private static String duplicateName(String text) {
        Deque<Set<String>> objects = new ArrayDeque<>();
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            while (true) {
                JsonToken t = r.peek();
                switch (t) {
                    case BEGIN_OBJECT -> {
                        r.beginObject();
                        objects.push(new HashSet<>());
                    }
                    case END_OBJECT -> {
                        r.endObject();
                        objects.pop();
                    }
                    case BEGIN_ARRAY -> r.beginArray();
                    case END_ARRAY -> r.endArray();
                    case NAME -> {
                        String name = r.nextName();
                        if (!objects.peek().add(name)) {
                            return name;
                        }
                    }
                    case END_DOCUMENT -> {
                        return null;
                    }
                    default -> r.skipValue();
                }
            }
        } catch (IOException | IllegalStateException e) {
            return null; // parsed already: cannot happen
        }
    }
}
