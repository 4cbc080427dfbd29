package org.edgegate.camera.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the parts of a {@code multipart/x-mixed-replace} body (an MJPEG stream) one by one, every size from
 * the server bounded: the boundary, each part's header lines and their count, each part's bytes (by its
 * Content-Length when it gives one, otherwise found by the next delimiter), and the garbage skipped between
 * parts. A part that breaks a bound is refused with the reason before its bytes are kept.
 */
final class MultipartReader {
    /** RFC 2046 allows 70 characters; servers that add their own dashes get some room. */
    static final int MAX_BOUNDARY = 200;
    static final int MAX_HEADER_LINE = 1024;
    static final int MAX_HEADERS = 32;

    private final InputStream in;
    private final int maxPart;
    /** The delimiter line as the server writes it, found at the first part. */
    private byte[] delimiter;
    private final String boundary;
    private boolean atPart;
    private boolean ended;

    /**
     * @param boundary the boundary of the Content-Type, without the leading dashes; null to take the first line
     *                 of the body that starts with {@code --} (a server that announces no multipart type, as
     *                 ffmpeg's)
     */
    MultipartReader(InputStream in, String boundary, int maxPart) throws IOException {
        if (boundary != null && (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY)) {
            throw new IOException("multipart boundary of " + boundary.length() + " characters (1 to "
                    + MAX_BOUNDARY + " allowed)");
        }
        this.in = in;
        this.boundary = boundary;
        this.maxPart = maxPart;
    }

    /** The boundary of a Content-Type such as {@code multipart/x-mixed-replace; boundary="frame"}, null when none. */
    static String boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b;
            }
        }
        return null;
    }

    /** The next part's body; throws when the stream ends or breaks a bound. */
    byte[] next() throws IOException {
        if (ended) {
            throw new EOFException("the server ended the stream (closing boundary)");
        }
        if (!atPart) {
            skipToDelimiter();
        }
        atPart = false;
        long length = -1;
        int headers = 0;
        for (String line = line(); !line.isEmpty(); line = line()) {
            if (++headers > MAX_HEADERS) {
                throw new IOException("part with more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("part with a bad Content-Length: " + quote(line));
                }
                if (length < 0 || length > maxPart) {
                    throw new IOException("part of " + length + " bytes refused (at most " + maxPart + ")");
                }
            }
        }
        return length >= 0 ? exactly((int) length) : untilDelimiter();
    }

    private byte[] exactly(int length) throws IOException {
        byte[] b = in.readNBytes(length);
        if (b.length < length) {
            throw new EOFException("stream ended inside a part (" + b.length + " of " + length + " bytes)");
        }
        return b;
    }

    /** A part without a length: its bytes up to the next delimiter line, without the line break before it. */
    private byte[] untilDelimiter() throws IOException {
        byte[] d = delimiter;
        byte[] buf = new byte[64 * 1024];
        int n = 0;
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("stream ended inside a part");
            }
            if (n == buf.length) {
                if (n >= maxPart + d.length) {
                    throw new IOException("part without a length longer than " + maxPart + " bytes refused");
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) maxPart + d.length, 2L * n));
            }
            buf[n++] = (byte) c;
            if (n >= d.length && c == d[d.length - 1] && endsWith(buf, n, d)) {
                int end = n - d.length;
                if (end > 0 && buf[end - 1] == '\n') {
                    end--;
                }
                if (end > 0 && buf[end - 1] == '\r') {
                    end--;
                }
                // "--" after the delimiter closes the stream: the next read says so
                ended = line().trim().equals("--");
                atPart = true;
                return Arrays.copyOf(buf, end);
            }
        }
    }

    private static boolean endsWith(byte[] buf, int n, byte[] d) {
        for (int i = 0; i < d.length; i++) {
            if (buf[n - d.length + i] != d[i]) {
                return false;
            }
        }
        return true;
    }

    /** Skips the line break after a part, preamble or garbage up to the next delimiter line (bounded). */
    private void skipToDelimiter() throws IOException {
        long skipped = 0;
        for (;;) {
            String line = line();
            if (isDelimiter(line)) {
                return;
            }
            skipped += line.length() + 2;
            if (skipped > maxPart) {
                throw new IOException("no multipart delimiter in " + skipped + " bytes");
            }
        }
    }

    private boolean isDelimiter(String line) throws EOFException {
        String t = line.trim();
        if (delimiter != null) {
            String d = new String(delimiter, StandardCharsets.ISO_8859_1);
            if (t.equals(d + "--")) {
                throw new EOFException("the server ended the stream (closing boundary)");
            }
            return t.equals(d);
        }
        boolean found = boundary == null ? t.startsWith("--") && t.length() > 2 && t.length() <= MAX_BOUNDARY + 2
                : t.equals("--" + boundary) || t.equals(boundary) && boundary.startsWith("--");
        if (found) {
            delimiter = t.getBytes(StandardCharsets.ISO_8859_1);
        }
        return found;
    }

    /** One line (CRLF or LF), at most {@link #MAX_HEADER_LINE} bytes, as ISO-8859-1. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("stream ended");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() >= MAX_HEADER_LINE) {
                throw new IOException("multipart line longer than " + MAX_HEADER_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }

    static String quote(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
