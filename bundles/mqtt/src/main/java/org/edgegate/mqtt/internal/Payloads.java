package org.edgegate.mqtt.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.sensor.Reading;
import org.edgegate.wire.WireJson;
import org.edgegate.commands.Text;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/**
 * The bridge's message bodies: JSON headers as in the native ZeroMQ stream plus {@code gateway}, plain
 * values; the JSON conventions are the kernel's {@link WireJson}, shared with the ZeroMQ headers.
 */
public final class Payloads {
    public static final byte[] EMPTY = new byte[0];

    private Payloads() {
    }

    public static byte[] json(WireJson.Body body) {
        return WireJson.write(body).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"gateway","sensor","seq","ts","values","units","raw"}}: ts in epoch ms with a microsecond fraction. */
    static byte[] reading(String gateway, Reading r) {
        return json(w -> {
            w.beginObject();
            w.name("gateway").value(gateway);
            WireJson.readingFields(w, r);
            w.endObject();
        });
    }

    /** {@code {"gateway","camera","seq","ts","width","height","format","bytes"}}. */
    static byte[] camera(String gateway, Frame f, int bytes) {
        return json(w -> {
            w.beginObject();
            w.name("gateway").value(gateway);
            WireJson.frameFields(w, f);
            w.name("format").value("jpeg");
            w.name("bytes").value(bytes);
            w.endObject();
        });
    }

    /** A state value as a JSON document: number, boolean, string, or {@code {"base64": ...}} for bytes. */
    static byte[] stateValue(Object value) {
        return json(w -> WireJson.value(w, value));
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

    /** The longest command payload read, in bytes: the state's default {@code maxValueBytes}. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    /**
     * The state value of a command payload: one JSON number, boolean or string (strict JSON, nothing after
     * it). Home Assistant's switch sends {@code true}/{@code false}, which are JSON. A JSON object is written as
     * its compact JSON text (a string), for keys that take a structured command ({@code clips/record}); the key's
     * validator decides whether it means anything.
     *
     * @throws IllegalArgumentException with a readable reason for anything else
     */
    static Object commandValue(byte[] payload) {
        if (payload.length > MAX_COMMAND_BYTES) { // before decoding: a flood of bytes costs no parse
            throw new IllegalArgumentException("payload of " + payload.length + " bytes (at most "
                    + MAX_COMMAND_BYTES + ")");
        }
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty payload (expected a JSON value such as true, 5 or \"text\")");
        }
        JsonElement e;
        try {
            e = WireJson.parse(text);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("not a JSON value: " + shorten(text));
        }
        if (e.isJsonObject()) {
            return e.toString();
        }
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("expected a JSON number, boolean, string or object, got "
                    + shorten(text));
        }
        return WireJson.primitive(e.getAsJsonPrimitive());
    }

    /** A payload quoted in a message: control characters as {@code ?}, at most 60 characters. */
    static String shorten(String text) {
        return Text.shorten(text.replaceAll("\\p{Cntrl}", "?"), 60);
    }
}
