package org.edgegate.clips.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's run-time state: the current values of its condition's keys, whether the condition holds, the clip it
 * is writing and its counters. The recorder calls it under its lock.
 */
final class RuleState {
    enum Edge { RISE, FALL, NONE }

    private final RuleSettings settings;
    private final Map<String, Object> values = new HashMap<>();
    private boolean holds;
    private long lastStart = Long.MIN_VALUE;
    Clip clip;
    long clips;
    long suppressed;
    String lastClip = "";
    String lastError = "";

    RuleState(RuleSettings settings) {
        this.settings = settings;
    }

    RuleSettings settings() {
        return settings;
    }

    boolean reads(String key) {
        return settings.when().keys().contains(key);
    }

    /** Sets the starting values without an edge: a condition already true when the rule starts is no crossing. */
    void initial(String key, Object value) {
        set(key, value);
        holds = settings.when().test(values::get);
    }

    /** A key's new value (null: removed); which way the condition went. */
    Edge update(String key, Object value) {
        set(key, value);
        boolean now = settings.when().test(values::get);
        Edge e = now && !holds ? Edge.RISE : !now && holds ? Edge.FALL : Edge.NONE;
        holds = now;
        return e;
    }

    private void set(String key, Object value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    boolean holds() {
        return holds;
    }

    /** True while a new clip may not start: less than {@code cooldown} seconds since the last one started. */
    boolean coolingDown(long time) {
        return lastStart != Long.MIN_VALUE && time < lastStart + settings.cooldown() * 1000L;
    }

    void started(Clip c, long time) {
        clip = c;
        lastStart = time;
        lastClip = c.id();
        clips++;
    }

    /** The health reason: the condition now, the clips. */
    String summary(boolean writing) {
        return "when " + settings.when().text() + " (now " + holds + "); " + clips + " clip" + (clips == 1 ? "" : "s")
                + (lastClip.isEmpty() ? "" : ", last " + lastClip) + (writing ? " (writing)" : "")
                + (suppressed > 0 ? ", " + suppressed + " held back by the cooldown" : "")
                + (lastError.isEmpty() ? "" : "; last error: " + lastError);
    }

    /** The condition's keys and their values now, for the manifest. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : settings.when().keys()) {
            m.put(k, values.get(k));
        }
        return m;
    }
}
