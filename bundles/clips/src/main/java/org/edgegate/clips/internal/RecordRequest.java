package org.edgegate.clips.internal;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgegate.api.health.Ids;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * A manual clip asked for from outside (the state key {@code clips/record}, written over MQTT, ZeroMQ or
 * gw:state): the cameras (empty: every camera) and the seconds. Two forms: the words of {@code gw:clips record}
 * ({@code "cam0 cam1 30"}, commas too), or a JSON object {@code {"cameras":["cam0"],"seconds":30}} (cameras also
 * as one string of words). Every size is bounded here, where the text enters.
 */
record RecordRequest(List<String> cameras, int seconds) {
    /** The longest request text, in characters. */
    static final int MAX_TEXT = 1024;

    RecordRequest {
        cameras = List.copyOf(cameras);
    }

    /** For people: {@code cam0, cam1, 30 s} or {@code every camera, 10 s}. */
    @Override
    public String toString() {
        return (cameras.isEmpty() ? "every camera" : String.join(", ", cameras)) + ", " + seconds + " s";
    }

    /**
     * The request a state value holds.
     *
     * @throws IllegalArgumentException with the reason, in words for the one who sent it
     */
    static RecordRequest parse(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("expected \"cam0 cam1 30\" or {\"cameras\":[\"cam0\"],\"seconds\":30}");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a request of " + text.length() + " characters (at most " + MAX_TEXT
                    + ")");
        }
        String t = text.strip();
        return t.startsWith("{") ? object(t) : words(t);
    }

    /** The words of gw:clips record: cameras, then the seconds as a last number when more than one word. */
    private static RecordRequest words(String text) {
        List<String> words = split(text);
        int seconds = ClipsCommands.DEFAULT_SECONDS;
        String last = words.isEmpty() ? "" : words.get(words.size() - 1);
        if (words.size() > 1 && last.chars().allMatch(Character::isDigit)) {
            seconds = seconds(new BigDecimal(last));
            words.remove(words.size() - 1);
        }
        return new RecordRequest(cameras(words), seconds);
    }

    private static RecordRequest object(String text) {
        JsonObject o;
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT || !e.isJsonObject()) {
                throw new IllegalArgumentException("not one JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON object: " + Ids.quote(e.getMessage()));
        }
        List<String> cameras = new ArrayList<>();
        int seconds = ClipsCommands.DEFAULT_SECONDS;
        for (Map.Entry<String, JsonElement> f : o.entrySet()) {
            JsonElement v = f.getValue();
            switch (f.getKey()) {
                case "cameras" -> {
                    if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                        cameras.addAll(split(v.getAsString()));
                    } else if (v.isJsonArray()) {
                        for (JsonElement c : v.getAsJsonArray()) {
                            if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString()) {
                                throw new IllegalArgumentException("cameras: a list of camera ids (strings)");
                            }
                            cameras.add(c.getAsString());
                        }
                    } else {
                        throw new IllegalArgumentException("cameras: a list of camera ids");
                    }
                }
                case "seconds" -> {
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                        throw new IllegalArgumentException("seconds: a number");
                    }
                    seconds = seconds(v.getAsBigDecimal());
                }
                default -> throw new IllegalArgumentException("unknown field " + Ids.quote(f.getKey())
                        + " (cameras, seconds)");
            }
        }
        return new RecordRequest(cameras(cameras), seconds);
    }

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.split("[\\s,]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** Checked ids, each once, at most {@link RuleSettings#MAX_CAMERAS}. */
    static List<String> cameras(List<String> ids) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : ids) {
            out.add(Ids.check("camera", c));
            if (out.size() > RuleSettings.MAX_CAMERAS) {
                throw new IllegalArgumentException("at most " + RuleSettings.MAX_CAMERAS + " cameras");
            }
        }
        return new ArrayList<>(out);
    }

    private static int seconds(BigDecimal s) {
        if (s.compareTo(BigDecimal.ONE) < 0 || s.compareTo(BigDecimal.valueOf(ClipRecorder.MAX_MANUAL_SECONDS)) > 0
                || s.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("seconds must be a whole number from 1 to "
                    + ClipRecorder.MAX_MANUAL_SECONDS + ", not " + Ids.quote(s.toString()));
        }
        return s.intValueExact();
    }
}
