package org.edgegate.clips.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pre-roll the rules need: a {@link FrameRing} per camera a rule records (its bounds the largest of those
 * rules' {@code before} plus a second, and {@code buffer.maxMiB}) and the {@link History} of readings and state
 * changes for the longest {@code before}. The rings have this object's lock, taken once per frame on the camera's
 * capture thread ({@link #add}) and inside the recorder's lock for the rest, never the other way round; the
 * history is the recorder's to lock.
 */
final class Buffers {
    /** The rings and the history keep this much more than the longest {@code before}. */
    static final long SLACK_MS = 1_000;
    /**
     * All rings together hold at most this share of the JVM's heap (-Xmx), split equally between them: four
     * cameras at the default 64 MiB each would otherwise outgrow the shipped 128 MiB heap.
     */
    static final double HEAP_SHARE = 0.25;

    private final Map<String, FrameRing> rings = new HashMap<>();
    private final History history = new History();
    private Collection<RuleSettings> rules = List.of();
    private final long budget;

    Buffers() {
        this((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    /** {@code budget}: the bytes all rings may hold together. */
    Buffers(long budget) {
        this.budget = budget;
    }

    History history() {
        return history;
    }

    /** New bounds from the rules now configured; rings no rule needs go. */
    synchronized void resize(Collection<RuleSettings> now) {
        rules = List.copyOf(now);
        long keep = 0;
        for (RuleSettings r : rules) {
            keep = Math.max(keep, r.before() * 1000L);
        }
        history.keep(keep + SLACK_MS);
        if (rules.isEmpty()) {
            history.clear();
        }
        rings.entrySet().removeIf(e -> bounds(e.getKey()) == null);
        fit();
    }

    /** Each ring to its rules' bounds and its share of the budget. */
    private void fit() {
        for (Map.Entry<String, FrameRing> e : rings.entrySet()) {
            long[] b = bounds(e.getKey());
            e.getValue().resize(b[0], Math.min(b[1], budget / rings.size()));
        }
    }

    /** A camera's ring bounds (ms, bytes): the largest of the rules recording it; null when none does. */
    synchronized long[] bounds(String camera) {
        long ms = -1;
        long bytes = 0;
        for (RuleSettings r : rules) {
            if (r.records(camera)) {
                ms = Math.max(ms, r.before() * 1000L + SLACK_MS);
                bytes = Math.max(bytes, r.bufferBytes());
            }
        }
        return ms < 0 ? null : new long[] {ms, bytes};
    }

    /** Keeps a copy of a frame's JPEG when a rule records its camera. */
    synchronized void add(String camera, long sequence, long time, int width, int height, byte[] jpeg) {
        FrameRing ring = rings.get(camera);
        if (ring == null) {
            long[] b = bounds(camera);
            if (b == null) {
                return;
            }
            ring = new FrameRing(b[0], b[1]);
            rings.put(camera, ring);
            fit(); // one more ring: every ring's share of the budget shrinks
        }
        ring.add(sequence, time, width, height, jpeg);
    }

    /** Each camera's frames since {@code since} (epoch ms); an empty list for a camera without a ring. */
    synchronized Map<String, List<FrameRing.Entry>> preroll(List<String> cameras, long since) {
        Map<String, List<FrameRing.Entry>> out = new LinkedHashMap<>();
        for (String cam : cameras) {
            FrameRing ring = rings.get(cam);
            out.put(cam, ring == null ? List.of() : ring.since(since));
        }
        return out;
    }

    /**
     * A camera's frames after {@code afterSequence} and before {@code beforeSequence} captured at or after
     * {@code since}, oldest first: those a clip missed (its listener skipped them, or was not yet there).
     */
    synchronized List<FrameRing.Entry> between(String camera, long afterSequence, long beforeSequence, long since) {
        FrameRing ring = rings.get(camera);
        return ring == null ? List.of() : ring.between(afterSequence, beforeSequence, since);
    }

    /** The seconds of pre-roll the rings of these cameras hold at most. */
    synchronized int seconds(List<String> cameras) {
        long ms = 0;
        for (String cam : cameras) {
            long[] b = bounds(cam);
            ms = b == null ? ms : Math.max(ms, b[0] - SLACK_MS);
        }
        return (int) (ms / 1000);
    }

    synchronized void clear() {
        rules = List.of(); // a frame still on its way makes no ring
        rings.clear();
        history.clear();
    }

    /** One ring's figures for /metrics. */
    record RingStats(String camera, int frames, long bytes, long memory, long maxBytes, long span, long buffered,
            long dropped) {
    }

    /** Every ring's figures, by camera. */
    synchronized List<RingStats> stats() {
        List<RingStats> out = new ArrayList<>();
        for (Map.Entry<String, FrameRing> e : new TreeMap<>(rings).entrySet()) {
            FrameRing r = e.getValue();
            out.add(new RingStats(e.getKey(), r.size(), r.bytes(), r.memory(), r.maxBytes(), r.span(), r.buffered(),
                    r.dropped()));
        }
        return out;
    }

    /** One line per ring: camera, frames, MiB, seconds held. */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, FrameRing> e : new TreeMap<>(rings).entrySet()) {
            FrameRing r = e.getValue();
            out.add(String.format(Locale.ROOT, "%s: %d frames, %.1f of %.0f MiB, %.1f s%s", e.getKey(), r.size(),
                    r.bytes() / 1048576.0, r.maxBytes() / 1048576.0, r.span() / 1000.0,
                    r.dropped() > 0 ? ", " + r.dropped() + " frames left early (buffer.maxMiB)" : ""));
        }
        return out;
    }
}
