package org.edgegate.clips.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

/**
 * The clips being written: starting one (pre-roll from the {@link Buffers}), handing each its frames and events,
 * patching headers, finishing those past their stop time, and counting. A clip whose writing fails is closed as it
 * is (a later start repairs it) and counted. Not thread-safe: the recorder locks.
 */
final class Recordings {
    /**
     * A clip starts this much earlier than its rule's {@code before}: the trigger is the state change's time, a
     * little after the reading that made it, and the promise is "at least before seconds before the reading".
     */
    static final long PREROLL_SLACK_MS = 500;

    private final List<Clip> active = new ArrayList<>();
    private final Counters counters = new Counters();
    /** Per rule (and {@code manual}); only for rules configured or writing ({@link #keepCounters}). */
    private final Map<String, Counters> perRule = new HashMap<>();
    private final ClipStore store;
    private final Logger log;
    /** Told of every finished clip (Event Admin, where it runs); null: nobody. */
    volatile Consumer<Manifest> completed;

    Recordings(ClipStore store, Logger log) {
        this.store = store;
        this.log = log;
    }

    Counters counters() {
        return counters;
    }

    /** A rule's counters, made at its first count. */
    Counters counters(String rule) {
        return perRule.computeIfAbsent(rule, r -> new Counters());
    }

    /** Copies of the per-rule counters, by rule. */
    Map<String, Counters> perRule() {
        Map<String, Counters> out = new HashMap<>();
        perRule.forEach((rule, c) -> out.put(rule, c.copy()));
        return out;
    }

    /** Forgets the counters of rules no longer configured and not writing: their labels leave /metrics. */
    void keepCounters(Set<String> configured) {
        Set<String> writing = new HashSet<>();
        for (Clip c : active) {
            writing.add(c.rule());
        }
        perRule.keySet().removeIf(r -> !configured.contains(r) && !writing.contains(r));
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    boolean writing(Clip c) {
        return c != null && active.contains(c);
    }

    Set<String> ids() {
        Set<String> out = new HashSet<>();
        for (Clip c : active) {
            out.add(c.id());
        }
        return out;
    }

    Set<String> cameras() {
        Set<String> out = new HashSet<>();
        for (Clip c : active) {
            out.addAll(c.cameras());
        }
        return out;
    }

    /** Starts a clip; null (counted, logged) when its files cannot be made. */
    Clip start(String rule, String condition, Map<String, Object> values, long trigger, int before, int after,
            List<String> cams, long stopAt, Buffers buffers) {
        long since = trigger - before * 1000L - PREROLL_SLACK_MS;
        List<Manifest.CameraFile> files = new ArrayList<>();
        for (String cam : cams) {
            files.add(new Manifest.CameraFile(cam, cam + ".avi", 0, 0, 0, 0, 0));
        }
        Path dir = store.newClipDir(rule, trigger);
        Manifest m = new Manifest(dir.getFileName().toString(), rule, "recording", condition, trigger, values, before,
                after, trigger, trigger, files);
        try {
            Clip c = new Clip(dir, m, buffers.preroll(cams, since), buffers.history().since(since), stopAt);
            active.add(c);
            Counters per = counters(rule);
            counters.clips++;
            per.clips++;
            counters.frames += c.frames();
            per.frames += c.frames();
            counters.bytes += c.bytes();
            per.bytes += c.bytes();
            return c;
        } catch (IOException | RuntimeException e) {
            error("cannot write a clip in " + dir + ": " + e);
            counters.failed++;
            counters(rule).failed++;
            return null;
        }
    }

    /**
     * A frame for the clips recording its camera; frames a clip missed before it (its listener skipped them while
     * busy, or came after the clip started) are taken from the camera's ring first.
     */
    void frame(String camera, long sequence, long time, int width, int height, byte[] jpeg, Buffers buffers) {
        for (Clip c : new ArrayList<>(active)) {
            if (c.records(camera)) {
                try {
                    int frames = c.frames();
                    long bytes = c.bytes();
                    long last = c.lastSequence(camera);
                    if (sequence > last + 1) { // also when none yet: the frames since the clip's start
                        for (FrameRing.Entry m : buffers.between(camera, last, sequence, c.start())) {
                            c.frame(camera, m.sequence(), m.time(), m.width(), m.height(), m.jpeg());
                        }
                    }
                    c.frame(camera, sequence, time, width, height, jpeg);
                    Counters per = counters(c.rule());
                    counters.frames += c.frames() - frames;
                    per.frames += c.frames() - frames;
                    counters.bytes += c.bytes() - bytes;
                    per.bytes += c.bytes() - bytes;
                } catch (IOException e) {
                    failed(c, e);
                }
            }
        }
    }

    void event(History.Event e) {
        for (Clip c : new ArrayList<>(active)) {
            try {
                c.event(e);
            } catch (IOException ex) {
                failed(c, ex);
            }
        }
    }

    /** Finishes the clips past their stop time, patches the others' headers when {@code sync}; the rules that ended one. */
    Set<String> tick(long now, boolean sync) {
        Set<String> ended = new HashSet<>();
        for (Clip c : new ArrayList<>(active)) {
            if (c.done(now)) {
                active.remove(c);
                finish(c);
                ended.add(c.rule());
            } else if (sync) {
                try {
                    c.sync();
                } catch (IOException e) {
                    failed(c, e);
                }
            }
        }
        return ended;
    }

    /** The bundle stops: every clip finished as it is. */
    void finishAll() {
        for (Clip c : active) {
            finish(c);
        }
        active.clear();
    }

    private void finish(Clip c) {
        try {
            Manifest m = c.finish();
            counters.written++;
            counters(c.rule()).written++;
            Consumer<Manifest> tell = completed;
            if (tell != null) {
                tell.accept(m);
            }
            log.info("clip {} complete: {} frames from {} camera(s)", c.id(), c.frames(), m.cameras().size());
        } catch (IOException e) {
            error("finishing clip " + c.id() + " failed: " + e);
            counters.failed++;
            counters(c.rule()).failed++;
            c.abandon();
        }
    }

    private void failed(Clip c, IOException e) {
        error("writing clip " + c.id() + " failed: " + e);
        counters.failed++;
        counters(c.rule()).failed++;
        c.abandon();
        active.remove(c);
    }

    void error(String message) {
        counters.errors++;
        counters.lastError = message;
        log.error("clips: {}", message);
    }
}
