package org.edgegate.camera.internal.source;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.camera.SourceRequest;
import org.edgegate.api.health.Ids;

/**
 * What a configured {@code source} names: a device by index or path, a video file, the test pattern, or a
 * URL another bundle's {@code FrameSourceProvider} serves ({@code http://...}). {@code presence} is the file
 * whose disappearance means the source is lost (null when there is none to watch).
 */
public record SourceSpec(Kind kind, String text, int index, Path presence) {
    public enum Kind {
        DEVICE("device"), FILE("file"), PATTERN("pattern"), PLUGIN("");

        /** The scheme its provider registers under (a plug-in's is in the source text). */
        final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }
    }

    /** A URL scheme of two characters or more (one would be a Windows drive letter). */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*",
            Pattern.DOTALL);

    public static final String PATTERN_PREFIX = "pattern:";
    /** Linux's PATH_MAX: no device, file or pattern needs more. */
    public static final int MAX_LENGTH = 4096;

    /** @throws IllegalArgumentException with a reason fit for an operator */
    public static SourceSpec parse(String source) {
        String s = source == null ? "" : source.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("source is empty (use a device index, /dev/videoN, a video file or pattern:)");
        }
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("source '" + Ids.quote(s) + "' is longer than " + MAX_LENGTH + " characters");
        }
        Matcher url = SCHEME.matcher(s);
        if (url.matches() && !url.group(1).equalsIgnoreCase("file") && !url.group(1).equalsIgnoreCase("pattern")) {
            return new SourceSpec(Kind.PLUGIN, s, -1, null);
        }
        if (s.startsWith(PATTERN_PREFIX)) {
            return new SourceSpec(Kind.PATTERN, s, -1, null);
        }
        if (s.chars().allMatch(Character::isDigit)) {
            int index;
            try {
                index = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device index out of range: " + Ids.quote(s));
            }
            Path node = Paths.get("/dev/video" + index);
            // Only Linux names its devices this way; elsewhere there is nothing to watch.
            return new SourceSpec(Kind.DEVICE, s, index, isLinux() ? node : null);
        }
        if (s.startsWith("/dev/")) {
            return new SourceSpec(Kind.DEVICE, s, -1, Paths.get(s));
        }
        String file = s.startsWith("file:") ? s.substring("file:".length()) : s;
        if (file.isEmpty()) {
            throw new IllegalArgumentException("source names no file: " + s);
        }
        return new SourceSpec(Kind.FILE, file, -1, Paths.get(file).toAbsolutePath());
    }

    /** The scheme whose {@code FrameSourceProvider} serves this source, in lower case. */
    public String scheme() {
        return kind == Kind.PLUGIN ? text.substring(0, text.indexOf(':')).toLowerCase(Locale.ROOT) : kind.scheme;
    }

    /** The source as shown in status and logs: a password in the URL masked. */
    public String shown() {
        return SourceRequest.masked(text);
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
