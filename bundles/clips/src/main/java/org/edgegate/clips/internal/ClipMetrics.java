package org.edgegate.clips.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgegate.api.health.Metered;

/**
 * The clips' samples for {@code /metrics} (docs/clips.md lists them): per rule its clips, frames, bytes and
 * removals, per camera ring its frames and memory. Labels are rule and camera ids (checked by {@link
 * org.edgegate.api.health.Ids} where they enter), one per configured rule (and {@code manual}) and per ring.
 */
final class ClipMetrics {
    private ClipMetrics() {
    }

    /** A snapshot taken under the recorder's lock, written outside it. */
    record Snapshot(Map<String, Counters> rules, Map<String, Long> suppressed, List<Buffers.RingStats> rings) {
    }

    static void write(Metered.Samples out, Snapshot s) {
        for (Map.Entry<String, Counters> e : new TreeMap<>(s.rules()).entrySet()) {
            String rule = e.getKey();
            Counters c = e.getValue();
            out.counter("edgegate_clips_started_total", "Clips started by the rule (manual: gw:clips record)",
                    c.clips, "rule", rule);
            out.counter("edgegate_clips_written_total", "Clips of the rule finished whole", c.written, "rule", rule);
            out.counter("edgegate_clips_failed_total",
                    "Clips of the rule that could not be started, written or finished", c.failed, "rule", rule);
            out.counter("edgegate_clips_frames_total", "Frames written into the rule's clips", c.frames, "rule", rule);
            out.counter("edgegate_clips_written_bytes_total",
                    "Bytes of .avi written for the rule's clips (frames with their chunk headers, file headers)",
                    c.bytes, "rule", rule);
            out.counter("edgegate_clips_removed_total", "The rule's clips removed by retention", c.removed,
                    "rule", rule);
            Long held = s.suppressed().get(rule);
            if (held != null) {
                out.counter("edgegate_clips_suppressed_total", "Crossings of the rule held back by its cooldown", held,
                        "rule", rule);
            }
        }
        for (Buffers.RingStats r : s.rings()) {
            String cam = r.camera();
            out.counter("edgegate_clips_ring_buffered_frames_total", "Frames the camera's pre-roll ring took",
                    r.buffered(), "camera", cam);
            out.counter("edgegate_clips_ring_dropped_frames_total",
                    "Frames that left the camera's ring early or never entered it (buffer.maxMiB, not the seconds, "
                            + "bounded it)", r.dropped(), "camera", cam);
            out.gauge("edgegate_clips_ring_frames", "Frames in the camera's pre-roll ring", r.frames(), "camera", cam);
            out.gauge("edgegate_clips_ring_bytes", "JPEG bytes in the camera's pre-roll ring", r.bytes(),
                    "camera", cam);
            out.gauge("edgegate_clips_ring_memory_bytes", "Memory the camera's ring takes (its slabs)", r.memory(),
                    "camera", cam);
            out.gauge("edgegate_clips_ring_max_bytes", "The camera's ring bound (buffer.maxMiB and its heap share)",
                    r.maxBytes(), "camera", cam);
            out.gauge("edgegate_clips_ring_seconds", "Seconds of frame time the camera's ring holds",
                    r.span() / 1000.0, "camera", cam);
        }
    }
}
