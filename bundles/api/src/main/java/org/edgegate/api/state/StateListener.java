package org.edgegate.api.state;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: register one to hear about changes to keys under the prefixes named in the
 * service property {@value #PREFIX} (a String or String[]; absent or empty means every key).
 *
 * <p>Changes arrive on a state delivery thread, not the writer's (but see below), in order for each listener. A
 * listener that falls behind is given the latest change per key rather than every intermediate
 * one. A listener that throws is logged and keeps receiving. A listener that only queues the change may
 * ask to be called on the writer's thread instead ({@link org.edgegate.api.delivery.Delivery}).
 */
@ConsumerType
public interface StateListener {
    /** Service property: key prefixes this listener wants, e.g. {@code camera/}. */
    String PREFIX = "edgegate.state.prefix";

    void stateChanged(StateChange change);
}
