package org.edgegate.zmq.internal;

/**
 * imagezmq's request/reply rhythm on a REQ socket: one frame out, then nothing until the hub replies. A hub
 * that took a frame and never answers leaves the socket unable to send, so once the reply is overdue the
 * socket must be replaced. Owned by the endpoint's thread.
 */
final class HubReplies {
    private final long timeoutMillis;
    private boolean awaiting;
    private long deadline;

    HubReplies(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** A frame went out: wait for its reply. */
    void sent() {
        awaiting = true;
        deadline = System.currentTimeMillis() + timeoutMillis;
    }

    /** Whether the socket may send (no reply pending). */
    boolean free() {
        return !awaiting;
    }

    /** A reply arrived; true when one was awaited. */
    boolean replied() {
        boolean was = awaiting;
        awaiting = false;
        return was;
    }

    /** Milliseconds the poll may wait for the reply, -1 when none is awaited. */
    long pollMillis() {
        return awaiting ? Math.max(0, deadline - System.currentTimeMillis()) : -1;
    }

    /** Whether the awaited reply is overdue. */
    boolean overdue() {
        return awaiting && System.currentTimeMillis() >= deadline;
    }

    /** A new socket: nothing is awaited. */
    void reset() {
        awaiting = false;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }
}
