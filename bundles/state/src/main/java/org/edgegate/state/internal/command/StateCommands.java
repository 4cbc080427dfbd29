package org.edgegate.state.internal.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValues;
import org.edgegate.commands.Json;
import org.edgegate.commands.Text;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands on the shared state: {@code gw:state [--json] [prefix]}, {@code gw:get}, {@code gw:set}, {@code gw:remove}. */
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
    public String state(@Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            @Descriptor("print JSON: one object per entry (key, value, type, version, timestamp in epoch ms)")
            boolean json) {
        return state(json, "");
    }

    @Descriptor("list the shared state, all of it or the keys under a prefix")
    public String state(@Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            @Descriptor("print JSON: one object per entry (key, value, type, version, timestamp in epoch ms)")
            boolean json, @Descriptor("key prefix, e.g. sensor/th/") String prefix) {
        List<StateEntry> entries = state.snapshot(prefix);
        if (json) {
            return Json.write(entries.stream().map(StateCommands::json).toList());
        }
        if (entries.isEmpty()) {
            return "no entries" + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
        }
        long now = System.currentTimeMillis();
        Text.Table t = new Text.Table("KEY", "VALUE", "TYPE", ">VERSION", ">AGE");
        for (StateEntry e : entries) {
            t.row(e.key(), Text.shorten(StateValues.format(e.value()), 24), e.type().name().toLowerCase(),
                    e.version(), Text.age(Duration.ofMillis(now - e.timestamp())));
        }
        return t.toString().stripTrailing();
    }

    private static Map<String, Object> json(StateEntry e) {
        return Json.object(
                "key", e.key(),
                "value", e.value(),
                "type", e.type().name().toLowerCase(),
                "version", e.version(),
                "timestamp", e.timestamp());
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
}
