package org.edgegate.camera.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(pid = CameraComponent.FACTORY_PID, name = "EdgeGate camera",
        description = "One camera: a video device, a looped video file, a moving test pattern or a source a plug-in "
                + "serves (a network camera), captured by its "
                + "own thread into a latest-frame slot; the source's own JPEG is passed through when it delivers one, "
                + "otherwise JPEG is encoded once per frame on demand; either way shared by every consumer.")
@interface CameraConfig {
    @AttributeDefinition(name = "Id", description = "Unique camera id (letters, digits, '-', '_', '.'). "
            + "Names the state key camera/<id>/enabled, the capture thread and the published topic.")
    String id();

    @AttributeDefinition(name = "Source", description = "A device index (0), a device path (/dev/video0), "
            + "a video file played in a loop (/data/clip.avi), pattern: for a moving test pattern, or a URL whose "
            + "scheme a plug-in serves (http://camera/stream with the camera-http plug-in); a camera whose scheme "
            + "no installed provider serves waits for one.")
    String source() default "pattern:";

    @AttributeDefinition(name = "User", description = "Login name for a source that asks for one (a network "
            + "camera's basic or digest login); empty: none.", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", description = "Password of that login; never logged or shown. "
            + "The key is .password: a leading dot keeps it out of the service registry (the old key password "
            + "still works, with a warning).", type = AttributeType.PASSWORD, required = false)
    String _password() default "";

    @AttributeDefinition(name = "Width", description = "Requested frame width in pixels; 0 takes the source's own. "
            + "Devices may choose another size and files keep theirs: the actual size is shown in status.")
    int width() default 0;

    @AttributeDefinition(name = "Height", description = "Requested frame height in pixels; 0 takes the source's own.")
    int height() default 0;

    @AttributeDefinition(name = "Frames per second", description = "Requested rate. Devices are asked for it; "
            + "files and the pattern are paced at it. 0 takes the source's own: a file's rate, the device's "
            + "default, 25 for the pattern.")
    double fps() default 0;

    @AttributeDefinition(name = "Paced", description = "Play files and the pattern at their frame rate. "
            + "false runs them as fast as possible (benchmarks). Devices are always paced by the device.")
    boolean paced() default true;

    @AttributeDefinition(name = "JPEG quality", description = "JPEG quality of the shared encoding, 1 to 100 "
            + "(frames passed through keep the source's own).")
    int quality() default 95;

    @AttributeDefinition(name = "JPEG path", description = "auto: pass the source's own JPEG through when it "
            + "delivers one (MJPG .avi files, USB cameras in MJPG), otherwise encode; passthrough: the same, but a "
            + "source that cannot is an error; encode: always decode and re-encode at the JPEG quality.",
            options = {@Option(label = "auto", value = "auto"), @Option(label = "passthrough", value = "passthrough"),
                @Option(label = "encode", value = "encode")})
    String jpeg() default "auto";

    @AttributeDefinition(name = "Enabled", description = "Initial value of camera/<id>/enabled in the shared state, "
            + "written when the camera is configured; changing that key starts and stops capture at run time.")
    boolean enabled() default true;

    @AttributeDefinition(name = "FOURCC", description = "Pixel format asked of a device, e.g. MJPG (lets several "
            + "USB cameras share a bus). Empty: MJPG when the device offers it (unless jpeg=encode), otherwise the "
            + "device's default. Ignored for files and the pattern.")
    String fourcc() default "";

    @AttributeDefinition(name = "Reconnect delay (ms)", description = "First wait before reopening a lost or "
            + "unavailable source; doubled after every failed attempt up to the maximum.")
    long reconnectDelay() default 500;

    @AttributeDefinition(name = "Maximum reconnect delay (ms)", description = "Upper bound of the reconnect back-off.")
    long reconnectMaxDelay() default 5000;
}
