package org.edgegate.mqtt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.edgegate.api.health.Ids;
import org.edgegate.mqtt.internal.discovery.Discovery;
import org.edgegate.wire.WireJson;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/**
 * Clips on MQTT (docs/mqtt.md, Clips): each clip the clips bundle finishes (its Event Admin event
 * {@value #EVENT_TOPIC}) becomes an event message on {@code <prefix>/clip/<rule>} (history: journaled while the
 * broker is away) and the retained {@code <prefix>/clip/<rule>/last}; each clip rule that exists (a service of the
 * clips bundle, found by {@value #RULES}) has its Home Assistant entities through {@link Discovery}. The event
 * comes from another bundle: every name and size in it is checked here, and a refused one is counted and logged.
 */
final class ClipMessages {
    static final String EVENT_TOPIC = "org/edgegate/clips/COMPLETE";
    /** The clips bundle's rules: their component name is the rule's factory PID. */
    static final String RULES = "(component.name=org.edgegate.clips.rule)";
    /** Clips recorded by hand (gw:clips record): an event message, no Home Assistant entity. */
    static final String MANUAL = "manual";
    /** A manifest larger than this is left out of the event message (its path is still there). */
    static final int MAX_MANIFEST = 64 * 1024;
    /** Rules whose last clip is kept to publish again on connect. */
    static final int MAX_LAST = 1000;
    /** A clip's folder name: the rule, its trigger time and perhaps a counter. */
    private static final Pattern CLIP = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern STATE = Pattern.compile("[a-z]{1,32}");

    /** One clip as the event says, checked. {@code manifest} compact JSON or null, {@code omitted} why null. */
    record Clip(String rule, String clip, String state, long triggerTime, long frames, String manifest,
            String omitted) {
        /** @throws IllegalArgumentException saying which property is wrong */
        static Clip of(Function<String, Object> property) {
            String rule = text(property, "rule");
            String problem = Ids.problem(rule);
            if (problem != null) {
                throw new IllegalArgumentException("rule '" + Ids.quote(rule) + "' " + problem);
            }
            String clip = text(property, "clip");
            if (!CLIP.matcher(clip).matches()) {
                throw new IllegalArgumentException("clip '" + Ids.quote(clip)
                        + "' is not a clip folder name (1 to 128 of A-Z a-z 0-9 . _ -)");
            }
            String state = text(property, "state");
            if (!STATE.matcher(state).matches()) {
                throw new IllegalArgumentException("state '" + Ids.quote(state) + "' is not a clip state");
            }
            long time = count(property, "trigger.time");
            long frames = count(property, "frames");
            if (!(property.apply("manifest") instanceof String m)) {
                return new Clip(rule, clip, state, time, frames, null, "no manifest in the event");
            }
            if (m.length() > MAX_MANIFEST) {
                return new Clip(rule, clip, state, time, frames, null,
                        "manifest of " + m.length() + " characters, more than " + MAX_MANIFEST);
            }
            try {
                JsonElement e = WireJson.parse(m); // strict, nesting bounded by Gson
                return e.isJsonObject() ? new Clip(rule, clip, state, time, frames, e.toString(), null)
                        : new Clip(rule, clip, state, time, frames, null, "manifest is not a JSON object");
            } catch (JsonParseException e) {
                return new Clip(rule, clip, state, time, frames, null, "manifest is not JSON: " + e.getMessage());
            }
        }

        private static String text(Function<String, Object> property, String key) {
            if (property.apply(key) instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException(key + " is missing or not a text");
        }

        private static long count(Function<String, Object> property, String key) {
            if (property.apply(key) instanceof Number n && (n instanceof Long || n instanceof Integer)
                    && n.longValue() >= 0) {
                return n.longValue();
            }
            throw new IllegalArgumentException(key + " is missing or not a whole number >= 0");
        }
    }

    private final Discovery discovery;
    /** The clip rules' services and their ids: an entity goes when no service has its id any more. */
    private final Map<Long, String> rules = new HashMap<>();
    /** The last clip's summary by rule, oldest first: published again on every connect. Guarded by itself. */
    private final Map<String, byte[]> last = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile Bridge bridge;
    private volatile Topics topics;
    private volatile String gateway;
    private volatile Consumer<String> warn = m -> { };
    private volatile long lastWarn;

    ClipMessages(Discovery discovery) {
        this.discovery = discovery;
    }

    void attach(Bridge b, Topics t, String gatewayName, Consumer<String> warnings) {
        topics = t;
        gateway = gatewayName;
        warn = warnings;
        bridge = b;
    }

    void detach() {
        bridge = null;
    }

    /** Registers the event handler; none where Event Admin's package is absent (then no clip is announced). */
    List<ServiceRegistration<?>> listen(BundleContext context) {
        try {
            return List.of(ClipEventHandler.register(context, this));
        } catch (NoClassDefFoundError noEventAdmin) {
            return List.of();
        }
    }

    /** A clip rule's service came or changed ({@code present}) or went: its entities follow its id. */
    synchronized void rule(Map<String, Object> properties, boolean present) {
        if (!(properties.get(Constants.SERVICE_ID) instanceof Long service)) {
            return;
        }
        String id = present && properties.get("id") instanceof String s && Ids.valid(s) && !s.equals(MANUAL) ? s
                : null; // a rule with a refused id is FAILED in gw:status and gets no entity
        String old = id == null ? rules.remove(service) : rules.put(service, id);
        if (old != null && !old.equals(id) && !rules.containsValue(old)) {
            discovery.ruleRemoved(old);
        }
        if (id != null && !id.equals(old)) {
            discovery.ruleAdded(id);
        }
    }

    /** An event's properties: published when they are a clip, else counted and logged (at most once a second). */
    void offer(Function<String, Object> property) {
        Bridge b = bridge;
        if (b == null) {
            return;
        }
        Clip c;
        try {
            c = Clip.of(property);
        } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
            warnAtMostOnceASecond("clip event refused (" + refused.get() + " so far): " + e.getMessage());
            return;
        }
        if (c.omitted() != null) {
            warnAtMostOnceASecond("clip " + c.clip() + " announced without its manifest: " + c.omitted());
        }
        Topics t = topics;
        b.offerHistory(t.clip(c.rule()), payload(c, true));
        byte[] summary = payload(c, false);
        b.offerLatest(t.clipLast(c.rule()), summary, 1, true);
        synchronized (last) {
            last.remove(c.rule()); // re-inserted at the end: the oldest rule goes first when full
            last.put(c.rule(), summary);
            if (last.size() > MAX_LAST) {
                Iterator<String> oldest = last.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        published.incrementAndGet();
    }

    private void warnAtMostOnceASecond(String message) {
        long now = System.nanoTime();
        if (now - lastWarn > 1_000_000_000L) { // a flood of bad events cannot fill the log
            lastWarn = now;
            warn.accept(message);
        }
    }

    /** The retained last-clip summaries, published again on every connect. */
    List<Outbound> retained() {
        List<Outbound> out = new ArrayList<>();
        synchronized (last) {
            last.forEach((rule, summary) -> out.add(Outbound.latest(topics.clipLast(rule), summary, 1, true)));
        }
        return out;
    }

    long published() {
        return published.get();
    }

    long refused() {
        return refused.get();
    }

    /**
     * The event message ({@code event}: Home Assistant's {@code event_type} and the manifest) or the retained
     * summary: gateway, rule, clip, state, {@code ts} (the trigger, epoch ms), {@code time} (the same, ISO-8601),
     * frames, {@code path} under the gateway's home and {@code url} of the manifest on the gateway's HTTP server.
     */
    byte[] payload(Clip c, boolean event) {
        return Payloads.json(w -> {
            w.beginObject();
            if (event) {
                w.name("event_type").value("clip");
            }
            w.name("gateway").value(gateway);
            w.name("rule").value(c.rule());
            w.name("clip").value(c.clip());
            w.name("state").value(c.state());
            w.name("ts").value(c.triggerTime());
            w.name("time").value(Instant.ofEpochMilli(c.triggerTime()).toString());
            w.name("frames").value(c.frames());
            w.name("path").value("data/clips/" + c.rule() + "/" + c.clip());
            w.name("url").value("/edgegate/clips/" + c.clip() + "/manifest.json");
            if (event && c.manifest() != null) {
                w.name("manifest").jsonValue(c.manifest()); // parsed and written again above: valid JSON
            } else if (event) {
                w.name("manifest_omitted").value(c.omitted());
            }
            w.endObject();
        });
    }
}
