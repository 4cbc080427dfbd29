package org.edgegate.clips.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.commands.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A clip's {@code manifest.json}: the rule, the trigger (its time and the values of the condition's keys), the
 * cameras with their files, frame counts and first and last frame times, the clip's first and last time (epoch
 * ms, the frames' clock) and its state: {@code recording} while written, {@code complete}, or {@code repaired}
 * when the gateway found it cut by a crash and made its files whole. Written to a temporary file renamed over
 * the old one, so a crash leaves the old or the new manifest, never half of one.
 */
record Manifest(String clip, String rule, String state, String condition, long triggerTime,
        Map<String, Object> triggerValues, int before, int after, long first, long last, List<CameraFile> cameras) {
    static final String FILE = "manifest.json";
    static final String SIDECAR = "readings.jsonl";
    /** A manifest is small; one larger than this is not ours. */
    static final long MAX_BYTES = 1 << 20;

    record CameraFile(String id, String file, int frames, long first, long last, int width, int height) {
    }

    Manifest withState(String newState, List<CameraFile> newCameras) {
        long f = Long.MAX_VALUE;
        long l = Long.MIN_VALUE;
        for (CameraFile c : newCameras) {
            if (c.frames() > 0) {
                f = Math.min(f, c.first());
                l = Math.max(l, c.last());
            }
        }
        return new Manifest(clip, rule, newState, condition, triggerTime, triggerValues, before, after,
                f == Long.MAX_VALUE ? triggerTime : f, l == Long.MIN_VALUE ? triggerTime : l, List.copyOf(newCameras));
    }

    Map<String, Object> toMap() {
        List<Object> cams = new ArrayList<>();
        for (CameraFile c : cameras) {
            cams.add(Json.object("id", c.id(), "file", c.file(), "frames", c.frames(), "first", c.first(), "last",
                    c.last(), "width", c.width(), "height", c.height()));
        }
        return Json.object("clip", clip, "rule", rule, "state", state, "condition", condition, "trigger",
                Json.object("time", triggerTime, "iso", Instant.ofEpochMilli(triggerTime), "values", triggerValues),
                "before", before, "after", after, "first", first, "last", last, "cameras", cams, "sidecar", SIDECAR);
    }

    void write(Path dir) throws IOException {
        Path tmp = dir.resolve("." + FILE + ".tmp");
        Files.writeString(tmp, Json.write(toMap()) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads {@code dir/manifest.json}; IOException when it is missing, too large or not a manifest. */
    static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject t = o.getAsJsonObject("trigger");
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : t.getAsJsonObject("values").entrySet()) {
                JsonElement v = e.getValue();
                values.put(e.getKey(), v.isJsonNull() ? null : v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                        ? (Object) v.getAsDouble() : v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()
                                ? (Object) v.getAsBoolean() : v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
            List<CameraFile> cams = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("cameras")) {
                JsonObject c = e.getAsJsonObject();
                cams.add(new CameraFile(c.get("id").getAsString(), c.get("file").getAsString(), c.get("frames").getAsInt(),
                        c.get("first").getAsLong(), c.get("last").getAsLong(), c.get("width").getAsInt(),
                        c.get("height").getAsInt()));
            }
            return new Manifest(o.get("clip").getAsString(), o.get("rule").getAsString(), o.get("state").getAsString(),
                    o.get("condition").getAsString(), t.get("time").getAsLong(), values, o.get("before").getAsInt(),
                    o.get("after").getAsInt(), o.get("first").getAsLong(), o.get("last").getAsLong(), cams);
        } catch (RuntimeException e) { // Gson's parse errors, a missing field, a wrong type
            throw new IOException(file + " is not a clip manifest: " + e.getMessage(), e);
        }
    }
}
