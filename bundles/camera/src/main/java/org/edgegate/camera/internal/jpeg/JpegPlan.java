package org.edgegate.camera.internal.jpeg;

/**
 * How a camera's JPEG is made, decided once per opening of its source from the {@code jpeg} mode and what
 * the opened source delivers (its own JPEG or pixels): the one place that reads the mode. Sources only say
 * what they deliver ({@link #asksForJpeg} tells a source that could deliver either which to prefer).
 *
 * <table>
 * <caption>the paths</caption>
 * <tr><th>source delivers</th><th>auto</th><th>passthrough</th><th>encode</th></tr>
 * <tr><td>JPEG</td><td>passthrough</td><td>passthrough</td><td>re-encode (decode, encode)</td></tr>
 * <tr><td>pixels</td><td>encode</td><td>refused (configuration)</td><td>encode</td></tr>
 * </table>
 */
public record JpegPlan(Path path, String reason) {
    /** What happens to each frame's JPEG. */
    public enum Path {
        /** The source's bytes as they came. */
        PASSTHROUGH,
        /** The source's JPEG decoded and encoded again at the configured quality. */
        REENCODE,
        /** The source's pixels encoded. */
        ENCODE;

        /** True when frames come from the source as JPEG (passed through or re-encoded). */
        public boolean sourceJpeg() {
            return this != ENCODE;
        }
    }

    /**
     * Whether to ask a source that can deliver either (a device: its compressed buffers or pixels) for its
     * own JPEG: not when every frame is encoded anyway, where asking for pixels spares a decode of ours.
     */
    public static boolean asksForJpeg(JpegMode mode) {
        return mode != JpegMode.ENCODE;
    }

    /**
     * Why {@code mode} cannot work with a source that has no JPEG to give ({@code what}: the source and why
     * not, in words for status), or null when it can (the pixels are encoded).
     */
    public static String refusal(JpegMode mode, String what) {
        return mode == JpegMode.PASSTHROUGH ? "jpeg=passthrough: " + what + "; use jpeg=auto to encode its pixels"
                : null;
    }

    /**
     * The path for an opened source. {@code sourceJpeg}: it delivers its own JPEG; {@code how}: what it
     * delivers, in words for status.
     *
     * @throws IllegalArgumentException with the reason when the mode asks for what the source cannot give
     */
    public static JpegPlan decide(JpegMode mode, boolean sourceJpeg, String how) {
        String what = how == null ? "" : how;
        if (!sourceJpeg) {
            String no = refusal(mode, what);
            if (no != null) {
                throw new IllegalArgumentException(no);
            }
        }
        String why = mode == JpegMode.ENCODE ? "jpeg=encode; " + what : what;
        return new JpegPlan(!sourceJpeg ? Path.ENCODE : mode == JpegMode.ENCODE ? Path.REENCODE : Path.PASSTHROUGH,
                why);
    }
}
