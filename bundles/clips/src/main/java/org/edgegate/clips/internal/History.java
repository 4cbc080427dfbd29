package org.edgegate.clips.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.edgegate.api.sensor.Reading;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateValues;
import org.edgegate.commands.Json;

/**
 * The readings and state changes of the last {@code millis}, at most {@value #MAX_EVENTS}, so a clip's
 * sidecar can start before its trigger. Kept as received; made into JSON lines only when a clip writes them.
 * Not thread-safe: the owner locks.
 */
final class History {
    static final int MAX_EVENTS = 50_000;

    /** A reading or a state change, {@code time} in epoch ms (the frames' clock). */
    record Event(long time, Object what) {
        /** One line of the sidecar. */
        String json() {
            if (what instanceof Reading r) {
                return Json.write(Json.object("t", time, "type", "reading", "sensor", r.sensorId(), "seq", r.sequence(),
                        "values", r.values(), "raw", r.raw()));
            }
            StateChange c = (StateChange) what;
            return Json.write(c.isRemoval() ? Json.object("t", time, "type", "state", "key", c.key(), "removed", true)
                    : Json.object("t", time, "type", "state", "key", c.key(), "value", jsonValue(c.entry().value())));
        }

        private static Object jsonValue(Object v) {
            return v instanceof Number || v instanceof Boolean || v instanceof String || v instanceof byte[] ? v
                    : StateValues.format(v);
        }
    }

    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long millis;

    void keep(long millis) {
        this.millis = millis;
    }

    Event add(long time, Object what) {
        Event e = new Event(time, what);
        events.addLast(e);
        while (events.size() > MAX_EVENTS || events.peekFirst().time() < time - millis) {
            events.removeFirst();
        }
        return e;
    }

    List<Event> since(long since) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.time() >= since) {
                out.add(e);
            }
        }
        return out;
    }

    void clear() {
        events.clear();
    }
}
