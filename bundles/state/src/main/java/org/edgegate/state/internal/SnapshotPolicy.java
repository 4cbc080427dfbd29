package org.edgegate.state.internal;

import java.util.concurrent.TimeUnit;

/**
 * When the snapshot is written (an SD card wears with every write and each one costs an fsync): only
 * after a change, a lone change {@code delay} after it, and under a stream of changes at most once per
 * {@code interval}, all changes in between saved together. What a power cut can lose is the changes of
 * the last interval; a clean stop saves everything (the component's deactivate).
 */
record SnapshotPolicy(long delayMillis, long intervalMillis) {
    SnapshotPolicy {
        if (delayMillis < 0 || intervalMillis < 0) {
            throw new IllegalArgumentException("snapshotDelay and snapshotInterval must not be negative");
        }
    }

    /** How long to wait, from {@code now}, before writing a change made now; the last write began at {@code lastWrite}. */
    long waitNanos(long nowNanos, long lastWriteNanos) {
        long delay = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        long nextAllowed = lastWriteNanos + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        return Math.max(delay, nextAllowed - nowNanos);
    }

    /** A last-write time that lets the first change be saved after the delay alone. */
    long longAgo(long nowNanos) {
        return nowNanos - TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }
}
