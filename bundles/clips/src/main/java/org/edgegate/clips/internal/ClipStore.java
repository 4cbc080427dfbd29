package org.edgegate.clips.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.edgegate.api.health.Ids;
import org.edgegate.config.GatewayPaths;
import org.osgi.framework.BundleContext;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The clips on disk, {@code <root>/<rule>/<clip>/}: listing, the repair of clips a crash cut short, and
 * retention. Only folders and files named by the one id rule are looked at; anything else is left alone.
 */
final class ClipStore {
    /** At most this many clips are listed or counted per rule. */
    static final int MAX_CLIPS_PER_RULE = 10_000;
    private final Path root;

    /** A clip found on disk. */
    record Stored(Path dir, Manifest manifest, long bytes) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    ClipStore(Path root) {
        this.root = root;
    }

    /** {@code clips/} in the gateway's data folder ({@link GatewayPaths#data}). */
    static ClipStore of(BundleContext context) {
        return new ClipStore(GatewayPaths.data(context::getProperty).resolve("clips"));
    }

    /** A new clip's folder: {@code <rule>/<rule>-<UTC time of the trigger>}, a number added when taken. */
    Path newClipDir(String rule, long trigger) {
        String base = rule + "-" + STAMP.format(Instant.ofEpochMilli(trigger));
        Path dir = ruleDir(rule).resolve(base);
        for (int n = 2; Files.exists(dir); n++) {
            dir = ruleDir(rule).resolve(base + "-" + n);
        }
        return dir;
    }

    Path root() {
        return root;
    }

    Path ruleDir(String rule) {
        return root.resolve(Ids.check("rule", rule));
    }

    /** Every clip of every rule (or of one rule), oldest first; unreadable ones are skipped. */
    List<Stored> list(String onlyRule) throws IOException {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        for (Path ruleDir : children(root)) {
            if (onlyRule != null && !ruleDir.getFileName().toString().equals(onlyRule)) {
                continue;
            }
            int n = 0;
            for (Path clipDir : children(ruleDir)) {
                if (++n > MAX_CLIPS_PER_RULE) {
                    break;
                }
                try {
                    out.add(new Stored(clipDir, Manifest.read(clipDir), size(clipDir)));
                } catch (IOException e) {
                    // a folder being made, or not a clip: not listed
                }
            }
        }
        out.sort(Comparator.comparingLong((Stored s) -> s.manifest().triggerTime()).thenComparing(s -> s.manifest().clip()));
        return out;
    }

    /** The stored clip of this id, or null. */
    Stored find(String clip) throws IOException {
        if (!Ids.valid(clip)) {
            return null;
        }
        for (Stored s : list(null)) {
            if (s.manifest().clip().equals(clip)) {
                return s;
            }
        }
        return null;
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Ids.valid(p.getFileName().toString()) && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    /**
     * Makes whole every clip whose manifest still says {@code recording} (a crash or a kill cut it) and is not
     * being written now: each .avi up to its last whole frame with its index, the sidecar up to its last whole
     * line, the manifest's frame counts and times from them. Returns the clips repaired.
     */
    List<String> repairAll(Set<String> active) throws IOException {
        List<String> repaired = new ArrayList<>();
        for (Stored s : list(null)) {
            Manifest m = s.manifest();
            if (m.state().equals("recording") && !active.contains(m.clip())) {
                repair(s.dir(), m);
                repaired.add(m.clip());
            }
        }
        return repaired;
    }

    static Manifest repair(Path dir, Manifest m) throws IOException {
        Path sidecar = dir.resolve(Manifest.SIDECAR);
        List<String> lines = Files.exists(sidecar) ? wholeLines(sidecar) : List.of();
        List<Manifest.CameraFile> cams = new ArrayList<>();
        for (Manifest.CameraFile c : m.cameras()) {
            Path avi = dir.resolve(Ids.check("camera", c.id()) + ".avi");
            if (!Files.exists(avi)) {
                cams.add(new Manifest.CameraFile(c.id(), "", 0, 0, 0, 0, 0));
                continue;
            }
            long[] span = frameTimes(lines, c.id());
            int frames = AviWriter.repair(avi, span[2] > 1 && span[1] > span[0] ? (span[2] - 1) * 1000.0 / (span[1] - span[0]) : 0);
            long[] kept = frameSpan(lines, c.id(), frames);
            int[] size = aviSize(avi);
            cams.add(new Manifest.CameraFile(c.id(), c.id() + ".avi", frames, kept[0], kept[1], size[0], size[1]));
        }
        Manifest fixed = m.withState("repaired", cams);
        fixed.write(dir);
        return fixed;
    }

    /** The sidecar's lines, a last line cut by the crash removed from the file too. */
    private static List<String> wholeLines(Path sidecar) throws IOException {
        byte[] all = Files.readAllBytes(sidecar);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        if (end < all.length) {
            try (RandomAccessFile f = new RandomAccessFile(sidecar.toFile(), "rw")) {
                f.setLength(end);
            }
        }
        String text = new String(all, 0, end, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** First and last time of the camera's frame lines, and their count. */
    private static long[] frameTimes(List<String> lines, String camera) {
        return frameSpan(lines, camera, Integer.MAX_VALUE);
    }

    /** First and last time of the camera's first {@code frames} frame lines, and how many there were. */
    private static long[] frameSpan(List<String> lines, String camera, int frames) {
        long first = 0;
        long last = 0;
        long n = 0;
        for (String line : lines) {
            if (n >= frames || !line.contains("\"type\":\"frame\"")) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (camera.equals(o.get("camera").getAsString())) {
                    long t = o.get("t").getAsLong();
                    first = n == 0 ? t : first;
                    last = t;
                    n++;
                }
            } catch (RuntimeException e) {
                // not a line of ours: skipped
            }
        }
        return new long[] {first, last, n};
    }

    private static int[] aviSize(Path avi) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(avi.toFile(), "r")) {
            f.seek(64);
            return new int[] {Integer.reverseBytes(f.readInt()), Integer.reverseBytes(f.readInt())};
        }
    }

    /**
     * Removes a rule's oldest clips (never one in {@code active}) while they take more than {@code maxBytes},
     * and those older than {@code days} (0: no age limit). Returns how many were removed.
     */
    int retain(String rule, long maxBytes, int days, long now, Set<String> active) throws IOException {
        List<Stored> clips = list(rule);
        long total = 0;
        for (Stored s : clips) {
            total += s.bytes();
        }
        int removed = 0;
        long oldest = days > 0 ? now - days * 86_400_000L : Long.MIN_VALUE;
        for (Stored s : clips) {
            if (active.contains(s.manifest().clip())) {
                continue;
            }
            if (total > maxBytes || s.manifest().last() < oldest) {
                delete(s.dir());
                total -= s.bytes();
                removed++;
            }
        }
        return removed;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
