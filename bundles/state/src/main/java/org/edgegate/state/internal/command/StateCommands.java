package org.edgegate.state.internal.command;

import java.time.Duration;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValues;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands on the shared state: {@code gw:state}, {@code gw:get}, {@code gw:set}, {@code gw:remove}. */
@Component(service = StateCommands.class, property = {
        "osgi.command.scope=gw",
        "osgi.command.function=state",
        "osgi.command.function=get",
        "osgi.command.function=set",
        "osgi.command.function=remove" })
public class StateCommands {
    @Reference
    private StateService state;

    @Descriptor("list the shared state, all of it or the keys under a prefix")
    public String state() {
        return state("");
    }

    @Descriptor("list the shared state, all of it or the keys under a prefix")
    public String state(@Descriptor("key prefix, e.g. sensor/th/") String prefix) {
        List<StateEntry> entries = state.snapshot(prefix);
        if (entries.isEmpty()) {
            return "no entries" + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
        }
        long now = System.currentTimeMillis();
        StringBuilder out = new StringBuilder(String.format("%-40s %-24s %-7s %8s %8s%n",
                "KEY", "VALUE", "TYPE", "VERSION", "AGE"));
        for (StateEntry e : entries) {
            out.append(String.format("%-40s %-24s %-7s %8d %8s%n", e.key(), shorten(StateValues.format(e.value())),
                    e.type().name().toLowerCase(), e.version(), age(now - e.timestamp())));
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("print the value under a key")
    public String get(@Descriptor("key, e.g. sensor/th/temperature") String key) {
        return state.get(key).map(e -> StateValues.format(e.value()))
                .orElseThrow(() -> new IllegalArgumentException("no entry under '" + key + "'"));
    }

    @Descriptor("write a value: 12 or -5.5 is a number, true/false a boolean, anything else a string")
    public String set(@Descriptor("key, e.g. camera/0/enabled") String key,
            @Descriptor("value") String value) {
        StateEntry e = state.put(key, StateValues.parse(value));
        return e.key() + " = " + StateValues.format(e.value()) + " (" + e.type().name().toLowerCase()
                + ", version " + e.version() + ")";
    }

    @Descriptor("remove a key")
    public String remove(@Descriptor("key") String key) {
        return state.remove(key).map(e -> "removed " + e.key())
                .orElseThrow(() -> new IllegalArgumentException("no entry under '" + key + "'"));
    }

    private static String shorten(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }

    static String age(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toSeconds() < 60) {
            return String.format("%.1fs", millis / 1000.0);
        } else if (d.toMinutes() < 60) {
            return d.toMinutes() + "m";
        } else if (d.toHours() < 48) {
            return d.toHours() + "h";
        }
        return d.toDays() + "d";
    }
}
