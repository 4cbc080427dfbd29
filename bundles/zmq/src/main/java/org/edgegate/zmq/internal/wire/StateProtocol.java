package org.edgegate.zmq.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateKeys;
import org.edgegate.api.state.StateService;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;

/**
 * The state endpoint's request/reply protocol, one JSON object each way:
 *
 * <pre>
 * {"op":"get","key":k}                      -&gt; {"ok":true,"key","value","version","ts"}  (absent: value null, version 0)
 * {"op":"put","key":k,"value":v}            -&gt; {"ok":true, the new entry}
 * {"op":"cas","key":k,"version":n,"value":v} -&gt; {"ok":true, the new entry} or {"ok":false,"error", the current entry}
 * {"op":"remove","key":k}                   -&gt; {"ok":true,"removed":bool, the entry removed}
 * {"op":"list","prefix":p}                  -&gt; {"ok":true,"entries":[{"key","value","version","ts"}, ...]}
 * anything wrong                            -&gt; {"ok":false,"error":"..."}
 * </pre>
 *
 * Never throws: every request gets a reply, so a REQ client is never left waiting.
 */
public final class StateProtocol {
    private final Supplier<StateService> state;
    private final int maxRequestBytes;

    public StateProtocol(Supplier<StateService> state, int maxRequestBytes) {
        this.state = state;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Answers one request, given as its frames (a valid request has exactly one). */
    public byte[] handle(List<byte[]> frames) {
        String reply;
        try {
            reply = answer(frames);
        } catch (IllegalArgumentException e) {
            reply = error(e.getMessage());
        } catch (RuntimeException e) {
            reply = error("internal error: " + e);
        }
        return reply.getBytes(StandardCharsets.UTF_8);
    }

    private String answer(List<byte[]> frames) {
        if (frames.size() != 1) {
            throw new IllegalArgumentException("a request is one frame holding a JSON object, not " + frames.size()
                    + " frames");
        }
        byte[] bytes = frames.get(0);
        if (bytes.length > maxRequestBytes) {
            throw new IllegalArgumentException("request of " + bytes.length + " bytes is over the limit of "
                    + maxRequestBytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("request is not UTF-8 text");
        }
        JsonObject req = Json.parseObject(text);
        String op = string(req, "op", true);
        StateService s = state.get();
        if (s == null) {
            throw new IllegalArgumentException("the state service is not running");
        }
        return switch (op) {
            case "get" -> {
                String key = key(req);
                yield entryReply(true, null, key, s.get(key), null);
            }
            case "put" -> {
                String key = key(req);
                yield entryReply(true, null, key, Optional.of(s.put(key, Json.stateValue(req.get("value")))), null);
            }
            case "cas" -> {
                String key = key(req);
                long version = version(req);
                Object value = Json.stateValue(req.get("value"));
                CasResult r = s.compareAndSet(key, version, value);
                yield entryReply(r.applied(), r.applied() ? null : "version mismatch: expected " + version
                        + ", current " + (r.entry() == null ? "0 (absent)" : r.entry().version()), key,
                        Optional.ofNullable(r.entry()), null);
            }
            case "remove" -> {
                String key = key(req);
                Optional<StateEntry> old = s.remove(key);
                yield entryReply(true, null, key, old, old.isPresent());
            }
            case "list" -> list(s, req);
            default -> throw new IllegalArgumentException("unknown op '" + shortly(op) + "' (get, put, cas, remove, list)");
        };
    }

    private static String list(StateService s, JsonObject req) {
        String prefix = req.has("prefix") ? string(req, "prefix", false) : "";
        List<StateEntry> entries = s.snapshot(prefix);
        return Json.write(w -> {
            w.beginObject().name("ok").value(true).name("entries").beginArray();
            for (StateEntry e : entries) {
                w.beginObject();
                Json.entryFields(w, e);
                w.endObject();
            }
            w.endArray().endObject();
        });
    }

    private static String entryReply(boolean ok, String error, String key, Optional<StateEntry> entry,
            Boolean removed) {
        return Json.write(w -> {
            w.beginObject().name("ok").value(ok);
            if (error != null) {
                w.name("error").value(error);
            }
            if (entry.isPresent()) {
                Json.entryFields(w, entry.get());
            } else {
                absent(w, key);
            }
            if (removed != null) {
                w.name("removed").value(removed.booleanValue());
            }
            w.endObject();
        });
    }

    private static void absent(JsonWriter w, String key) throws IOException {
        w.name("key").value(key).name("value").nullValue().name("version").value(0).name("ts").nullValue();
    }

    /** What a request sent, cut to a length that fits an error reply. */
    private static String shortly(Object o) {
        String s = String.valueOf(o);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static String error(String message) {
        return Json.write(w -> w.beginObject().name("ok").value(false).name("error").value(message).endObject());
    }

    private static String key(JsonObject req) {
        String key = string(req, "key", true);
        String problem = StateKeys.problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("key '" + shortly(key) + "' is not a valid state key: " + problem);
        }
        return key;
    }

    private static long version(JsonObject req) {
        JsonElement v = req.get("version");
        if (v == null || v.isJsonNull()) {
            throw new IllegalArgumentException("version is missing (0 means: only if the key is absent)");
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            try {
                long n = Long.parseLong(v.getAsString());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("version must be a whole number of at least 0, not " + shortly(v));
    }

    private static String string(JsonObject req, String name, boolean required) {
        JsonElement e = req.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + name + "\" is missing");
            }
            return "";
        }
        if (e.isJsonPrimitive() && ((JsonPrimitive) e).isString()) {
            return e.getAsString();
        }
        throw new IllegalArgumentException("\"" + name + "\" must be a string, not " + shortly(e));
    }
}
