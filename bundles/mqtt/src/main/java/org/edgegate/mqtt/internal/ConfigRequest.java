package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgegate.api.health.Ids;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * One remote configuration request as it came from the broker, read with every size and count bounded before
 * use: {@code {"correlation": "…", "properties": {"key": value, …}, "replace": false}} on
 * {@code <prefix>/config/<pid>/set} (a {@code null} value removes the key; {@code replace} drops the keys not
 * given), {@code {"correlation": "…"}} on {@code …/delete}. Values are text, numbers, booleans or lists of
 * those; they are kept as text (as an {@code etc/} file holds them) and typed by the configuration's Metatype.
 *
 * @param properties the keys to set, each to a String or String[]; a key mapped to null is removed
 */
record ConfigRequest(String correlation, Map<String, Object> properties, boolean replace) {
    static final int MAX_PAYLOAD = 64 * 1024;
    static final int MAX_KEYS = 256;
    static final int MAX_KEY = 128;
    static final int MAX_TEXT = 8192;
    static final int MAX_LIST = 256;
    static final int MAX_CORRELATION = 128;

    /** Kept by Configuration Admin and File Install, not the configuration's own (never sent, never changed). */
    static final Set<String> ADMIN = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename");

    /** A refused request: the reason, and the correlation id when it could be read. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String correlation;

        Refused(String correlation, String reason) {
            super(reason, null, false, false);
            this.correlation = correlation;
        }
    }

    static ConfigRequest parse(byte[] payload, boolean delete) throws Refused {
        if (payload.length > MAX_PAYLOAD) {
            throw new Refused("", "request of " + payload.length + " bytes, at most " + MAX_PAYLOAD);
        }
        String correlation = "";
        Map<String, Object> properties = new LinkedHashMap<>();
        boolean replace = false;
        boolean sawProperties = false;
        try (JsonReader in = new JsonReader(new StringReader(new String(payload, StandardCharsets.UTF_8)))) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw new Refused("", "the request must be a JSON object {\"correlation\": ..., \"properties\": {...}}");
            }
            in.beginObject();
            List<String> unknown = new ArrayList<>();
            while (in.hasNext()) {
                String name = in.nextName();
                switch (name) {
                    case "correlation" -> correlation = correlation(in);
                    case "replace" -> replace = bool(in, correlation);
                    case "properties" -> {
                        sawProperties = true;
                        properties(in, properties, correlation);
                    }
                    default -> {
                        if (unknown.size() < 4) {
                            unknown.add(Ids.quote(name.length() > MAX_KEY ? name.substring(0, MAX_KEY) : name));
                        }
                        in.skipValue(); // iterative in Gson: no recursion however deep
                    }
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new Refused(correlation, "text after the request's JSON object");
            }
            if (!unknown.isEmpty()) {
                throw new Refused(correlation, "unknown field(s) " + unknown + ": a request has correlation, "
                        + "properties and replace");
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new Refused(correlation, "not valid JSON: " + Ids.quote(e.getMessage()));
        }
        if (!delete && !sawProperties) {
            throw new Refused(correlation, "no \"properties\" object: nothing to set");
        }
        if (delete && !properties.isEmpty()) {
            throw new Refused(correlation, "a delete takes no properties");
        }
        return new ConfigRequest(correlation, properties, replace);
    }

    private static String correlation(JsonReader in) throws IOException, Refused {
        JsonToken t = in.peek();
        if (t != JsonToken.STRING && t != JsonToken.NUMBER) {
            in.skipValue();
            throw new Refused("", "correlation must be a text");
        }
        String c = in.nextString();
        if (c.length() > MAX_CORRELATION || c.chars().anyMatch(Character::isISOControl)) {
            throw new Refused("", "correlation: at most " + MAX_CORRELATION + " printable characters");
        }
        return c;
    }

    private static boolean bool(JsonReader in, String correlation) throws IOException, Refused {
        if (in.peek() != JsonToken.BOOLEAN) {
            in.skipValue();
            throw new Refused(correlation, "replace must be true or false");
        }
        return in.nextBoolean();
    }

    private static void properties(JsonReader in, Map<String, Object> out, String correlation)
            throws IOException, Refused {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            throw new Refused(correlation, "properties must be a JSON object of keys and values");
        }
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            if (out.size() >= MAX_KEYS) {
                throw new Refused(correlation, "more than " + MAX_KEYS + " properties");
            }
            if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > ' ' && c < 127)
                    || key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")) {
                throw new Refused(correlation, "key '" + Ids.quote(key) + "': keys are 1 to " + MAX_KEY
                        + " printable ASCII characters, and service.*, felix.*, component.* are not the gateway's");
            }
            out.put(key, value(in, key, correlation));
        }
        in.endObject();
    }

    private static Object value(JsonReader in, String key, String correlation) throws IOException, Refused {
        switch (in.peek()) {
            case NULL -> {
                in.nextNull();
                return null;
            }
            case STRING, NUMBER -> {
                return text(in.nextString(), key, correlation);
            }
            case BOOLEAN -> {
                return Boolean.toString(in.nextBoolean());
            }
            case BEGIN_ARRAY -> {
                List<String> items = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    if (items.size() >= MAX_LIST) {
                        throw new Refused(correlation, key + ": more than " + MAX_LIST + " values");
                    }
                    JsonToken t = in.peek();
                    if (t == JsonToken.BOOLEAN) {
                        items.add(Boolean.toString(in.nextBoolean()));
                    } else if (t == JsonToken.STRING || t == JsonToken.NUMBER) {
                        items.add(text(in.nextString(), key, correlation));
                    } else {
                        throw new Refused(correlation, key + ": a list holds texts, numbers or booleans");
                    }
                }
                in.endArray();
                return items.toArray(String[]::new);
            }
            default -> throw new Refused(correlation, key + ": a value is a text, a number, true/false, null "
                    + "(remove the key) or a list of those");
        }
    }

    private static String text(String s, String key, String correlation) throws Refused {
        if (s.length() > MAX_TEXT) {
            throw new Refused(correlation, key + ": " + s.length() + " characters, at most " + MAX_TEXT);
        }
        return s;
    }

    /** A configuration's properties as they can be given back to Configuration Admin (its own keys left out). */
    static Map<String, Object> restorable(Dictionary<String, Object> old) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : Collections.list(old.keys())) {
            if (!ADMIN.contains(k) || k.equals("felix.fileinstall.filename")) {
                m.put(k, old.get(k));
            }
        }
        return m;
    }

    /** The properties after this request: {@code old} (null: a new configuration) changed by it. */
    Map<String, Object> merge(Dictionary<String, Object> old) {
        Map<String, Object> next = old == null ? new LinkedHashMap<>() : restorable(old);
        if (replace) {
            next.keySet().removeIf(k -> !k.equals("felix.fileinstall.filename"));
        }
        properties.forEach((k, v) -> {
            if (v == null) {
                next.remove(k);
            } else {
                next.put(k, v);
            }
        });
        return next;
    }

    /** The configuration's own keys, values as comparable text. */
    static Map<String, String> own(Map<String, Object> properties) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((k, v) -> {
            if (!ADMIN.contains(k)) {
                out.put(k, text(v));
            }
        });
        return out;
    }

    static String text(Object v) {
        if (v instanceof Object[] a) {
            return Arrays.toString(a);
        }
        if (v != null && v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
                items.add(java.lang.reflect.Array.get(v, i));
            }
            return items.toString();
        }
        return String.valueOf(v);
    }

    static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : Collections.list(d.keys())) {
            m.put(k, d.get(k));
        }
        return m;
    }
}
