package org.edgegate.clips.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.commands.Json;

/**
 * One clip being written: per camera an {@link AviWriter} (made at the camera's first frame), the sidecar of
 * readings, state changes and frames ({@code readings.jsonl}, one JSON object a line, each with {@code t} in epoch
 * ms on the frames' clock) and the manifest. Frames are taken up to {@link #stopAt()} and the first one after it,
 * which ends the camera's part. Not thread-safe: the recorder locks.
 */
final class Clip {
    /** A camera that sends nothing is waited for this long after the stop time. */
    static final long GRACE_MS = 2_000;
    /** No clip is longer than this after its trigger, whatever the condition does. */
    static final long MAX_MS = 600_000;

    private final Path dir;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final BufferedWriter sidecar;
    private final long start;
    private final long hardStop;
    private Manifest manifest;
    private long stopAt;

    private static final class Track {
        final String camera;
        AviWriter avi;
        long lastSeq = Long.MIN_VALUE;
        long first;
        long last;
        int width;
        int height;
        boolean done;

        Track(String camera) {
            this.camera = camera;
        }

        double fps() {
            int n = avi == null ? 0 : avi.frames();
            return n > 1 && last > first ? (n - 1) * 1000.0 / (last - first) : 0;
        }
    }

    /**
     * Starts writing: the pre-roll frames and events (oldest first) at once, then whatever {@link #frame} and
     * {@link #event} give.
     */
    Clip(Path dir, Manifest manifest, Map<String, List<FrameRing.Entry>> preroll, List<History.Event> events,
            long stopAt) throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.start = manifest.triggerTime() - manifest.before() * 1000L - Recordings.PREROLL_SLACK_MS;
        this.hardStop = manifest.triggerTime() + MAX_MS;
        this.stopAt = Math.min(stopAt, hardStop);
        Files.createDirectories(dir);
        manifest.write(dir);
        sidecar = Files.newBufferedWriter(dir.resolve(Manifest.SIDECAR), StandardCharsets.UTF_8);
        List<Object[]> lines = new ArrayList<>();
        for (History.Event e : events) {
            if (e.time() >= start) {
                lines.add(new Object[] {e.time(), e.json()});
            }
        }
        for (Map.Entry<String, List<FrameRing.Entry>> p : preroll.entrySet()) {
            Track t = new Track(p.getKey());
            tracks.put(p.getKey(), t);
            for (FrameRing.Entry f : p.getValue()) {
                String line = write(t, f.sequence(), f.time(), f.width(), f.height(), f.jpeg());
                if (line != null) {
                    lines.add(new Object[] {f.time(), line});
                }
            }
        }
        lines.sort(Comparator.comparingLong(l -> (Long) l[0]));
        for (Object[] l : lines) {
            line((String) l[1]);
        }
        sync();
    }

    String id() {
        return manifest.clip();
    }

    String rule() {
        return manifest.rule();
    }

    Path dir() {
        return dir;
    }

    long stopAt() {
        return stopAt;
    }

    /** Moves the end: the condition was true again (no end yet), or became false. */
    void stopAt(long time) {
        stopAt = Math.min(time, hardStop);
    }

    java.util.Set<String> cameras() {
        return tracks.keySet();
    }

    /** The sequence of the camera's last frame written ({@link Long#MIN_VALUE}: none yet). */
    long lastSequence(String camera) {
        Track t = tracks.get(camera);
        return t == null ? Long.MIN_VALUE : t.lastSeq;
    }

    /** The time of the clip's first frame it may hold (its pre-roll's start). */
    long start() {
        return start;
    }

    boolean records(String camera) {
        Track t = tracks.get(camera);
        return t != null && !t.done;
    }

    void frame(String camera, long seq, long time, int width, int height, byte[] jpeg) throws IOException {
        Track t = tracks.get(camera);
        if (t == null || t.done) {
            return;
        }
        if (time > stopAt) {
            t.done = true; // this frame is still taken: the clip reaches at least to its stop time
        }
        String line = write(t, seq, time, width, height, jpeg);
        if (line != null) {
            line(line);
        }
    }

    void event(History.Event e) throws IOException {
        if (e.time() >= start && e.time() <= stopAt) {
            line(e.json());
        }
    }

    private String write(Track t, long seq, long time, int width, int height, byte[] jpeg) throws IOException {
        if (seq <= t.lastSeq) {
            return null; // already written from the pre-roll
        }
        if (t.avi == null) {
            t.avi = AviWriter.create(dir.resolve(t.camera + ".avi"), width, height, 0);
            t.first = time;
            t.width = width;
            t.height = height;
        }
        if (!t.avi.write(jpeg)) {
            t.done = true; // the file is as large as AVI 1.0 allows
            return null;
        }
        t.lastSeq = seq;
        t.last = time;
        return Json.write(Json.object("t", time, "type", "frame", "camera", t.camera, "seq", seq, "index",
                t.avi.frames() - 1, "bytes", jpeg.length));
    }

    private void line(String json) throws IOException {
        sidecar.write(json);
        sidecar.write('\n');
    }

    /** True once every camera is past the stop time, or the stop time is {@link #GRACE_MS} behind {@code now}. */
    boolean done(long now) {
        if (now > stopAt + GRACE_MS) {
            return true;
        }
        for (Track t : tracks.values()) {
            if (!t.done) {
                return false;
            }
        }
        return true;
    }

    /** What is written so far becomes readable after a crash: header sizes patched, sidecar flushed. */
    void sync() throws IOException {
        for (Track t : tracks.values()) {
            if (t.avi != null) {
                t.avi.sync(t.fps());
            }
        }
        sidecar.flush();
    }

    long bytes() {
        long n = 0;
        for (Track t : tracks.values()) {
            n += t.avi == null ? 0 : t.avi.bytes();
        }
        return n;
    }

    int frames() {
        int n = 0;
        for (Track t : tracks.values()) {
            n += t.avi == null ? 0 : t.avi.frames();
        }
        return n;
    }

    /** Writes the indexes and the final manifest, closes every file. */
    Manifest finish() throws IOException {
        IOException failed = null;
        List<Manifest.CameraFile> cams = new ArrayList<>();
        for (Track t : tracks.values()) {
            if (t.avi == null) {
                cams.add(new Manifest.CameraFile(t.camera, "", 0, 0, 0, 0, 0));
                continue;
            }
            try (AviWriter w = t.avi) {
                w.finish(t.fps());
                cams.add(new Manifest.CameraFile(t.camera, t.camera + ".avi", w.frames(), t.first, t.last, t.width,
                        t.height));
            } catch (IOException e) {
                failed = e;
            }
        }
        try {
            sidecar.close();
        } catch (IOException e) {
            failed = e;
        }
        if (failed != null) {
            throw failed;
        }
        manifest = manifest.withState("complete", cams);
        manifest.write(dir);
        return manifest;
    }

    /** Closes the files as they are (the bundle stops, or writing failed): a later start repairs them. */
    void abandon() {
        for (Track t : tracks.values()) {
            try {
                if (t.avi != null) {
                    t.avi.sync(t.fps());
                    t.avi.close();
                }
            } catch (IOException e) {
                // best effort: the repair on the next start makes the file whole
            }
        }
        try {
            sidecar.close();
        } catch (IOException e) {
            // as above
        }
    }
}
