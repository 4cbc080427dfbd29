package org.edgegate.camera.internal;

/** Reconnect delays: the first, then doubling up to a maximum, back to the first after a success. */
final class Backoff {
    private final long first;
    private final long max;
    private long current;

    Backoff(long firstMillis, long maxMillis) {
        this.first = firstMillis;
        this.max = maxMillis;
        this.current = firstMillis;
    }

    long next() {
        long d = current;
        current = Math.min(max, current * 2);
        return d;
    }

    void reset() {
        current = first;
    }
}
