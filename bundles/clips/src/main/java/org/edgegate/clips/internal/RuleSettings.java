package org.edgegate.clips.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgegate.api.health.Ids;
import org.edgegate.config.ConfigCheck;

/** A rule's configuration, checked: the only form the rest of the bundle sees. */
record RuleSettings(String id, Condition when, List<String> cameras, int before, int after, int cooldown,
        long bufferBytes, long retainBytes, int retainDays) {
    static final int MAX_CAMERAS = 64;

    /** Throws {@link IllegalArgumentException} (a {@link Condition.ParseException} for {@code when}). */
    static RuleSettings from(RuleConfig c, Map<String, ?> raw) {
        ConfigCheck check = new ConfigCheck(raw);
        String id = check.id(c::id);
        Condition when = Condition.parse(check.value("when", c::when, "text"));
        String[] given = check.value("cameras", c::cameras, "a list of camera ids");
        List<String> cameras = new ArrayList<>();
        for (String entry : given == null ? new String[0] : given) {
            for (String part : entry.split(",")) {
                String t = part.trim();
                if (!t.isEmpty() && !cameras.contains(t)) {
                    cameras.add(Ids.check("cameras", t)); // names a file: never ../ or a path
                }
            }
        }
        ConfigCheck.check(cameras.size() <= MAX_CAMERAS, "cameras: at most " + MAX_CAMERAS + " cameras");
        return new RuleSettings(id, when, List.copyOf(cameras), check.intRange("before", c::before, 0, 300),
                check.intRange("after", c::after, 0, 300), check.intRange("cooldown", c::cooldown, 0, 86_400),
                check.range("buffer.maxMiB", c::buffer_maxMiB, 1, 1024) << 20,
                check.range("retain.maxMiB", c::retain_maxMiB, 1, 1 << 20) << 20,
                check.intRange("retain.days", c::retain_days, 0, 36_500));
    }

    /** True when the rule records this camera (an empty list means every camera). */
    boolean records(String camera) {
        return cameras.isEmpty() || cameras.contains(camera);
    }
}
