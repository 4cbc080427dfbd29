package org.edgegate.api.delivery;

/**
 * The service property a {@code ReadingListener}, {@code StateListener} or {@code FrameListener} sets to
 * choose how it is called. Without it (the default) each listener is called on a delivery thread, one value
 * at a time, and skips values while it is busy: it may take its time. With {@value #PROPERTY}={@value #DIRECT}
 * it is called on the publisher's own thread (the sensor's reader, the state writer's thread, the camera's
 * capture thread) as the value is made, with no thread woken for it: the way for a listener that only hands
 * the value to a queue of its own. Such a listener must return within microseconds, never block nor call
 * back into the publisher (no state write from {@code stateChanged}), may be called from several publishers'
 * threads at once, and takes only a frame's JPEG (direct frames are those whose JPEG is already made: a
 * frame that still needs encoding is delivered on a delivery thread). A direct listener found slow (calls of
 * several milliseconds) is moved to a delivery thread, with a warning in the log.
 */
public final class Delivery {
    /** Service property: how the listener is called; {@value #DIRECT} or absent. */
    public static final String PROPERTY = "edgegate.delivery";
    /** Called on the publisher's thread. */
    public static final String DIRECT = "direct";

    private Delivery() {
    }

    /** Whether service properties ask for direct delivery. */
    public static boolean isDirect(java.util.Map<String, ?> properties) {
        return properties != null && DIRECT.equals(String.valueOf(properties.get(PROPERTY)));
    }
}
