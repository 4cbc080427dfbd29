package org.edgegate.camera.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;

import org.edgegate.api.camera.JpegSource;
import org.edgegate.api.camera.SourceFormat;

/**
 * A network camera over HTTP: an MJPEG stream ({@code multipart/x-mixed-replace}, read part after part as the
 * server sends them) or a snapshot URL ({@code image/jpeg}, fetched again at the camera's rate). The JPEG
 * bytes are handed on as they came. A server silent for the stall time is lost, as is one that breaks a bound.
 */
final class HttpJpegSource implements JpegSource, HttpExchange.Abortable {
    /** Largest picture accepted: a 4K frame at high quality is 2 to 4 MB. */
    static final int MAX_PART = 16 * 1024 * 1024;
    static final int MIN_STALL_MILLIS = 5000;
    /** A part or snapshot must arrive within this many stall times, however it trickles. */
    static final int PART_STALLS = 4;
    /** Snapshot polling rate when the camera's fps is 0. */
    static final double SNAPSHOT_FPS = 1;

    private final URI uri;
    private final String shown;
    private final Login login;
    private final double fps;
    private final int stallMillis;
    private volatile HttpExchange exchange;
    private volatile boolean aborted;
    private MultipartReader parts;
    private Deadline partDeadline;
    private byte[] snapshot;

    HttpJpegSource(URI uri, String shown, Login login, double fps) {
        this.uri = uri;
        this.shown = shown;
        this.login = login;
        this.fps = fps;
        this.stallMillis = fps > 0 ? (int) Math.max(MIN_STALL_MILLIS, 3000 / fps) : MIN_STALL_MILLIS;
    }

    @Override
    public void current(HttpExchange x) {
        exchange = x;
        if (aborted) {
            x.abort();
        }
    }

    @Override
    public SourceFormat open() throws IOException {
        HttpExchange x = request();
        String type = x.header("Content-Type");
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (t.startsWith("image/jpeg") || t.startsWith("image/jpg")) {
            snapshot = readSnapshot(x);
            double pace = fps > 0 ? fps : SNAPSHOT_FPS;
            return new SourceFormat(0, 0, pace, "JPEG snapshots polled at " + pace + " fps");
        }
        String boundary = MultipartReader.boundaryOf(type);
        if (boundary == null && t.startsWith("multipart/")) {
            x.close();
            throw new IllegalArgumentException(shown + " sends " + MultipartReader.quote(type) + " without a boundary");
        }
        if (boundary == null && !t.isEmpty() && !t.startsWith("application/octet-stream")) {
            x.close();
            throw new IOException(shown + " sends " + MultipartReader.quote(type)
                    + ", neither an MJPEG stream nor a JPEG snapshot");
        }
        // A boundary-less octet stream (ffmpeg's server) is taken as MJPEG when its first line is a delimiter.
        parts = new MultipartReader(x.body(), boundary, MAX_PART);
        partDeadline = x.deadline();
        return new SourceFormat(0, 0, 0, "MJPEG stream (" + (boundary == null ? "boundary from the body"
                : "multipart/x-mixed-replace") + ") from " + shown);
    }

    /** A GET, answering a login challenge once; a status other than 200 is an error with the server's words. */
    private HttpExchange request() throws IOException {
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        target = uri.getRawQuery() == null ? target : target + "?" + uri.getRawQuery();
        HttpExchange x = exchange(login.authorization(target));
        if (x.status() == 401 && login.present()) {
            boolean answerable = login.challenged(x.headers("WWW-Authenticate"));
            x.close();
            if (!answerable) {
                throw new IllegalArgumentException(shown + " asks for a login this source cannot give: "
                        + MultipartReader.quote(String.join(" | ", x.headers("WWW-Authenticate"))));
            }
            x = exchange(login.authorization(target));
        }
        if (x.status() == 401) {
            x.close();
            throw new IOException(shown + " refused the login (401 " + MultipartReader.quote(x.reason()) + ")"
                    + (login.present() ? "; check user and password" : "; set user and password"));
        }
        if (x.status() != 200) {
            x.close();
            throw new IOException(shown + " answered " + x.status() + " " + MultipartReader.quote(x.reason()));
        }
        return x;
    }

    private HttpExchange exchange(String authorization) throws IOException {
        try {
            return HttpExchange.get(uri, authorization, stallMillis, this);
        } catch (IOException e) {
            if (aborted) {
                throw new IOException("stopped", e);
            }
            throw new IOException("cannot reach " + shown + ": " + message(e), e);
        }
    }

    private byte[] readSnapshot(HttpExchange x) throws IOException {
        try (x) {
            x.deadline().arm((long) PART_STALLS * stallMillis, "snapshot");
            InputStream body = x.body();
            byte[] b = body.readNBytes(MAX_PART + 1);
            if (b.length > MAX_PART) {
                throw new IOException("snapshot larger than " + MAX_PART + " bytes refused");
            }
            return b;
        } catch (SocketTimeoutException e) {
            throw new IOException(stalled(), e);
        }
    }

    @Override
    public byte[] next() throws IOException {
        if (parts == null) {
            byte[] b = snapshot;
            if (b != null) {
                snapshot = null;
                return b;
            }
            return readSnapshot(request());
        }
        try {
            partDeadline.arm((long) PART_STALLS * stallMillis, "part");
            return parts.next();
        } catch (SocketTimeoutException e) {
            throw new IOException(stalled(), e);
        } catch (SocketException e) {
            throw new IOException(aborted ? "stopped" : shown + " connection lost: " + message(e), e);
        }
    }

    private String stalled() {
        return "stalled: nothing from " + shown + " for " + stallMillis + " ms";
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void abort() {
        aborted = true;
        HttpExchange x = exchange;
        if (x != null) {
            x.abort();
        }
    }

    @Override
    public void close() {
        HttpExchange x = exchange;
        if (x != null) {
            x.close();
        }
    }
}
