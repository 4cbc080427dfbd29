package org.edgegate.camera.internal;

import org.edgegate.api.health.Ids;
import org.edgegate.camera.internal.jpeg.JpegMode;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.source.SourceSettings;
import org.edgegate.camera.internal.source.SourceSpec;

/** A camera configuration, checked: the constructor rejects what cannot work, with a readable reason. */
record CameraSettings(String id, SourceSpec source, int width, int height, double fps, boolean paced,
        int quality, boolean enabled, String fourcc, long reconnectDelay, long reconnectMaxDelay, JpegMode jpeg) {

    CameraSettings {
        Ids.check("id", id);
        if (width < 0 || height < 0 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("width and height must be 0 (the source's own) up to 16384: "
                    + width + "x" + height);
        }
        if ((width == 0) != (height == 0)) {
            throw new IllegalArgumentException("give both width and height, or neither: " + width + "x" + height);
        }
        if (!(fps >= 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be 0 (the source's own) up to 1000: " + fps);
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1 to 100: " + quality);
        }
        fourcc = fourcc == null ? "" : fourcc.trim();
        if (!fourcc.isEmpty() && fourcc.length() != 4) {
            throw new IllegalArgumentException("fourcc must be four characters such as MJPG or YUYV: '" + Ids.quote(fourcc) + "'");
        }
        if (reconnectDelay < 10 || reconnectMaxDelay < reconnectDelay) {
            throw new IllegalArgumentException("reconnect delays must be at least 10 ms and max >= first: "
                    + reconnectDelay + ", " + reconnectMaxDelay);
        }
        jpeg = jpeg == null ? JpegMode.AUTO : jpeg;
        String refused = source != null && source.kind() == SourceSpec.Kind.PATTERN
                ? JpegPlan.refusal(jpeg, source.text() + " draws pixels and has no JPEG to pass through") : null;
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (jpeg == JpegMode.PASSTHROUGH && !fourcc.isEmpty() && !fourcc.equals("MJPG")) {
            throw new IllegalArgumentException("jpeg=passthrough needs fourcc MJPG (or empty), not " + fourcc);
        }
    }

    /** With {@code jpeg=auto}. */
    CameraSettings(String id, SourceSpec source, int width, int height, double fps, boolean paced, int quality,
            boolean enabled, String fourcc, long reconnectDelay, long reconnectMaxDelay) {
        this(id, source, width, height, fps, paced, quality, enabled, fourcc, reconnectDelay, reconnectMaxDelay,
                JpegMode.AUTO);
    }

    static CameraSettings of(CameraConfig c) {
        return new CameraSettings(c.id() == null ? null : c.id().trim(), SourceSpec.parse(c.source()), c.width(),
                c.height(), c.fps(), c.paced(), c.quality(), c.enabled(), c.fourcc(), c.reconnectDelay(),
                c.reconnectMaxDelay(), JpegMode.parse(c.jpeg()));
    }

    /** What the camera's frame source needs of these settings. */
    SourceSettings forSource() {
        return new SourceSettings(id, source, width, height, fps, paced, fourcc, jpeg);
    }

    /** The key in the shared state that starts and stops this camera. */
    String enabledKey() {
        return "camera/" + id + "/enabled";
    }
}
