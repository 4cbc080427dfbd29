package org.edgegate.state.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class SnapshotPolicyTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private final SnapshotPolicy policy = new SnapshotPolicy(1000, 30_000);

    @Test
    public void aLoneChangeIsSavedAfterTheDelay() {
        long now = 1_000 * S;
        assertEquals(S, policy.waitNanos(now, policy.longAgo(now)));
        assertEquals("an hour after the last write", S, policy.waitNanos(now, now - 3600 * S));
    }

    @Test
    public void aStreamOfChangesIsSavedAtMostOncePerInterval() {
        long lastWrite = 1_000 * S;
        assertEquals("a change 2 s after a write waits for the interval", 28 * S, policy.waitNanos(lastWrite + 2 * S, lastWrite));
        assertEquals("and never less than the delay", S, policy.waitNanos(lastWrite + 29_900_000_000L, lastWrite));
    }

    @Test
    public void anIntervalShorterThanTheDelayIsTheDelay() {
        SnapshotPolicy p = new SnapshotPolicy(5000, 0);
        assertEquals(5 * S, p.waitNanos(10 * S, 10 * S));
    }

    @Test
    public void negativeTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(-1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotPolicy(1000, -1));
    }
}
