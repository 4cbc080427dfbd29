package org.edgegate.zmq.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class OutboxTest {
    private final AtomicInteger wakeups = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    @Test
    public void fullQueueDropsItsOldestEventAndCountsIt() {
        Outbox o = new Outbox(3, 0, wakeups::incrementAndGet, dropped);
        for (int i = 1; i <= 5; i++) {
            o.offerEvent(i);
        }
        assertEquals(2, dropped.get());
        assertEquals(3, o.poll());
        assertEquals(4, o.poll());
        assertEquals(5, o.poll());
        assertNull(o.poll());
    }

    @Test
    public void aNewerFrameReplacesTheWaitingOneOfItsCamera() {
        Outbox o = new Outbox(10, 0, wakeups::incrementAndGet, dropped);
        TestFrame a1 = new TestFrame("a", 1, new byte[0]);
        TestFrame b1 = new TestFrame("b", 1, new byte[0]);
        TestFrame a2 = new TestFrame("a", 2, new byte[0]);
        o.offerFrame(a1);
        o.offerFrame(b1);
        o.offerFrame(a2);
        assertEquals(1, dropped.get());
        assertSame(a2, o.pollFrame());
        assertSame(b1, o.pollFrame());
        assertNull(o.pollFrame());
    }

    @Test
    public void wakesOnceUntilTheWorkerIsAwake() {
        Outbox o = new Outbox(10, 0, wakeups::incrementAndGet, dropped);
        o.offerEvent("x");
        o.offerEvent("y");
        o.offerFrame(new TestFrame("a", 1, new byte[0]));
        assertEquals(1, wakeups.get());
        o.awake(() -> { });
        o.offerEvent("z");
        assertEquals(2, wakeups.get());
    }

    @Test
    public void aSilencedOutboxWakesNobodyUntilTheWorkerIsAwakeAgain() {
        Outbox o = new Outbox(10, 0, wakeups::incrementAndGet, dropped);
        o.silence(); // a batch window: the worker comes back by itself
        o.offerEvent("x");
        o.offerFrame(new TestFrame("a", 1, new byte[0]));
        assertEquals(0, wakeups.get());
        o.awake(() -> { });
        o.offerEvent("y");
        assertEquals(1, wakeups.get());
        assertEquals(3, o.size());
    }

    @Test
    public void anOfferWhileTheWorkerConsumesItsSignalsIsNotLost() {
        Outbox o = new Outbox(10, 0, wakeups::incrementAndGet, dropped);
        o.offerEvent("a");
        o.awake(() -> o.offerEvent("b")); // a producer offers while the worker reads its wake-up bytes
        int signalled = wakeups.get();
        o.offerEvent("c");
        assertEquals("the first offer after waking signals again", signalled + 1, wakeups.get());
        assertEquals("a", o.poll());
        assertEquals("b", o.poll());
    }

    @Test
    public void eventsAndFramesTakeTurns() {
        Outbox o = new Outbox(10, 0, wakeups::incrementAndGet, dropped);
        o.offerEvent("e1");
        o.offerEvent("e2");
        TestFrame f = new TestFrame("a", 1, new byte[0]);
        o.offerFrame(f);
        Object first = o.poll();
        Object second = o.poll();
        assertEquals("e1", first);
        assertSame(f, second);
        assertEquals("e2", o.poll());
    }

    @Test
    public void rateLimitPacesEachCameraWithoutDrift() {
        Outbox o = new Outbox(10, 10, wakeups::incrementAndGet, dropped); // 10 fps: one per 100 ms
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        long t0 = 1_000_000 * ms;
        int accepted = 0;
        for (int i = 0; i < 50; i++) { // 25 fps camera for 2 s
            if (o.admit("a", t0 + i * 40 * ms)) {
                accepted++;
            }
        }
        assertEquals(20, accepted);
        assertTrue("another camera has its own pace", o.admit("b", t0 + 41 * ms));
        assertTrue("no limit, no pacing", new Outbox(10, 0, wakeups::incrementAndGet, dropped).admit("a", t0));
    }
}
