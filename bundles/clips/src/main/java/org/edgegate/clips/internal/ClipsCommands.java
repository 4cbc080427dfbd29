package org.edgegate.clips.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.commands.Subcommands;
import org.edgegate.commands.Json;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code gw:clips}: the clips on disk and the rules; {@code gw:clips record <camera...> [seconds]}. */
@Component(service = ClipsCommands.class, property = { "osgi.command.scope=gw", "osgi.command.function=clips" })
public class ClipsCommands {
    static final String LIST = "list [--json] - the clips on disk (oldest first), the rules, the camera buffers";
    static final String RECORD = "record <camera...> - record a clip of these cameras from now for the seconds given "
            + "as a last number (gw:clips record cam0 cam1 20; default 10, at most 600), with the pre-roll their "
            + "buffers hold, into data/clips/manual/";
    static final int DEFAULT_SECONDS = 10;
    /** At most this many clips are printed (the newest); --json gives every one. */
    static final int SHOWN = 50;

    @Reference
    private ClipRecorder recorder;

    @Reference
    private RecordKey recordKey;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ClipRule> rules;

    private final Subcommands clips = new Subcommands("gw:clips").on(LIST, a -> list(a.contains("--json")))
            .on(RECORD, this::record);

    @Descriptor("event clips:\n  gw:clips (no arguments) lists\n  " + LIST + "\n  " + RECORD)
    public Object clips(@Descriptor("list or record, then its arguments (gw:clips --help)") String... args)
            throws Exception {
        return args.length == 0 ? list(false) : clips.run(args);
    }

    private Object record(List<String> args) {
        RecordRequest r = RecordRequest.parse(String.join(" ", args));
        String id = recorder.record(r.cameras(), r.seconds());
        return "recording clip " + id + " (" + r + ") in "
                + recorder.store().root().resolve(ClipRecorder.MANUAL).resolve(id) + "\n";
    }

    private Object list(boolean json) throws Exception {
        List<ClipStore.Stored> stored = recorder.store().list(null);
        if (json) {
            List<Object> out = new ArrayList<>();
            for (ClipStore.Stored s : stored) {
                var m = s.manifest().toMap();
                m.put("bytes", s.bytes());
                m.put("dir", s.dir().toString());
                out.add(m);
            }
            return Json.write(out);
        }
        StringBuilder b = new StringBuilder();
        List<ClipRule> rs = new ArrayList<>(rules == null ? List.of() : rules);
        rs.sort((x, y) -> x.id().compareTo(y.id()));
        b.append(rs.isEmpty() ? "no clip rules configured (factory PID " + RuleConfig.PID + ")\n" : "rules:\n");
        for (ClipRule r : rs) {
            Health h = r.health();
            b.append(String.format(Locale.ROOT, "  %-16s %s  %s%n", r.id(), h.state(), h.reason()));
        }
        List<String> rings = recorder.ringLines();
        if (!rings.isEmpty()) {
            b.append("camera buffers:\n");
            rings.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        Counters c = recorder.counters();
        b.append(String.format(Locale.ROOT, "clips: %d on disk in %s; %d written since start (%d frames), %d being "
                + "written, %d removed by retention, %d repaired after a crash, %d errors%s%n", stored.size(),
                recorder.store().root(), c.clips, c.frames, recorder.activeClips().size(), c.removed, c.repaired,
                c.errors, c.lastError.isEmpty() ? "" : " (last: " + c.lastError + ")"));
        if (recordKey.accepted.get() + recordKey.refused.get() > 0) {
            b.append(String.format(Locale.ROOT, "%s: %d clips asked for, %d refused%s%n", RecordKey.KEY,
                    recordKey.accepted.get(), recordKey.refused.get(), recordKey.lastRefusal().isEmpty() ? ""
                            : " (last: " + recordKey.lastRefusal() + ")"));
        }
        int from = Math.max(0, stored.size() - SHOWN);
        for (ClipStore.Stored s : stored.subList(from, stored.size())) {
            Manifest m = s.manifest();
            StringBuilder cams = new StringBuilder();
            for (Manifest.CameraFile f : m.cameras()) {
                cams.append(cams.length() == 0 ? "" : ", ").append(f.id()).append(' ').append(f.frames()).append(" frames");
            }
            b.append(String.format(Locale.ROOT, "  %-40s %-9s %s  %.1f s  %.1f MB  %s%n", m.clip(), m.state(),
                    Instant.ofEpochMilli(m.triggerTime()), (m.last() - m.first()) / 1000.0, s.bytes() / 1e6, cams));
        }
        return b.toString();
    }
}
