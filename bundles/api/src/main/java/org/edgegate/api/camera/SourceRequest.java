package org.edgegate.api.camera;

/**
 * A camera's configuration as a {@link FrameSourceProvider} needs it. {@link #toString()} masks the password,
 * which is never to be logged or shown; the {@code source} may hold a login as {@code user:password@} too,
 * and {@link #masked(String)} is how to show it.
 *
 * @param cameraId the camera's id, for thread names and messages
 * @param source   the configured source, e.g. {@code http://cam.local/stream}
 * @param width    the requested width, 0 for the source's own (as {@code height})
 * @param height   the requested height, 0 for the source's own
 * @param fps      the requested rate, 0 for the source's own
 * @param user     login name for sources that ask for one, empty when none is configured
 * @param password its password, empty when none
 */
public record SourceRequest(String cameraId, String source, int width, int height, double fps, String user,
        String password) {
    public SourceRequest {
        cameraId = cameraId == null ? "" : cameraId;
        source = source == null ? "" : source;
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The scheme of {@link #source()} in lower case ({@code http} for {@code http://...}), empty when none. */
    public String scheme() {
        int colon = source.indexOf(':');
        return colon < 0 ? "" : source.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code source} with the password of a {@code user:password@} login replaced by {@code ***}. */
    public static String masked(String source) {
        if (source == null) {
            return "";
        }
        int start = source.indexOf("://");
        if (start < 0) {
            return source;
        }
        int end = source.indexOf('/', start + 3);
        int at = source.lastIndexOf('@', end < 0 ? source.length() - 1 : end);
        if (at < start) {
            return source;
        }
        int colon = source.indexOf(':', start + 3);
        return colon < 0 || colon > at ? source : source.substring(0, colon + 1) + "***" + source.substring(at);
    }

    @Override
    public String toString() {
        return "SourceRequest[cameraId=" + cameraId + ", source=" + masked(source) + ", " + width + "x" + height
                + " @ " + fps + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
}
