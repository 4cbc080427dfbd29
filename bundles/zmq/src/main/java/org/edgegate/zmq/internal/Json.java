package org.edgegate.zmq.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;

import org.edgegate.api.state.StateEntry;
import org.edgegate.kernel.json.WireJson;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonWriter;

/** The JSON of the state protocol, on the kernel's {@link WireJson} (the wire formats' one set of conventions). */
final class Json {
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

    /** Parses one JSON object strictly (no comments, no single quotes, nothing after it). */
    static JsonObject parseObject(String text) {
        JsonElement e;
        try {
            e = WireJson.parse(text);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("the request must be a JSON object");
        }
        return e.getAsJsonObject();
    }
}
