package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.edgegate.api.health.HealthState;
import org.junit.Test;

public class ConnectorTest {

    /** A connection scripted by the test: open fails while {@code openFailures} is positive. */
    static final class Scripted extends Connector {
        final AtomicInteger openFailures = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final BlockingQueue<String> losses = new LinkedBlockingQueue<>();
        volatile boolean blockForever;
        volatile boolean aborted;
        volatile Connector.Unavailable unavailable;

        Scripted(Backoff backoff) {
            super("test-connector", "test", backoff, ConnectorLog.NONE);
        }

        @Override
        protected void open() throws Exception {
            if (unavailable != null) {
                throw unavailable;
            }
            if (openFailures.getAndDecrement() > 0) {
                throw new IOException("no device");
            }
            opens.incrementAndGet();
        }

        @Override
        protected void work() throws Exception {
            if (blockForever) {
                // ignores running() on purpose, like a read stuck in a driver; only abort ends it
                while (!aborted) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        // a stuck call does not care either
                    }
                }
                return;
            }
            while (running()) {
                String loss = losses.poll(10, TimeUnit.MILLISECONDS);
                if (loss != null) {
                    throw new IOException(loss);
                }
            }
        }

        @Override
        protected void close() {
            closes.incrementAndGet();
        }

        @Override
        protected void abort() {
            aborted = true;
        }
    }

    @Test
    public void retriesOpenWithBackOffThenOpensAndStops() {
        Scripted c = new Scripted(new Backoff(10, 40));
        c.openFailures.set(3);
        c.start();
        await(() -> c.health().state() == HealthState.OPEN, "open after three failures");
        assertEquals(1, c.opens.get());
        assertEquals(0, c.reconnects());
        assertEquals("no device", c.lastError());
        assertTrue(c.stop(2000));
        assertEquals(HealthState.STOPPED, c.health().state());
        assertEquals("close after every successful open", 1, c.closes.get());
        assertFalse(c.alive());
    }

    @Test
    public void aLostConnectionIsClosedAndReopened() {
        Scripted c = new Scripted(new Backoff(5000, 5000));
        c.start();
        await(() -> c.opens.get() == 1, "first open");
        c.losses.add("device gone");
        await(() -> c.health().state() == HealthState.RECONNECTING, "reconnecting");
        assertTrue(c.health().reason(), c.health().reason().startsWith("device gone; reopening in "));
        assertEquals(1, c.closes.get());
        c.kick(); // no need to wait the 5 s: try now
        await(() -> c.opens.get() == 2 && c.health().state() == HealthState.OPEN, "reopened after a kick");
        assertEquals(1, c.reconnects());
        assertTrue(c.stop(2000));
    }

    @Test
    public void unavailableReportsItsOwnStateAndWaitsUntilKicked() throws Exception {
        Scripted c = new Scripted(new Backoff(10, 60_000));
        c.unavailable = new Connector.Unavailable(HealthState.FAILED, "bad port 'x'");
        c.start();
        await(() -> c.health().state() == HealthState.FAILED, "failed");
        assertEquals("bad port 'x'", c.health().reason());
        c.unavailable = null;
        c.kick();
        await(() -> c.health().state() == HealthState.OPEN, "open once fixed");
        assertTrue(c.stop(2000));
    }

    @Test
    public void aStuckConnectionIsAbortedAfterTheGracePeriod() {
        Scripted c = new Scripted(new Backoff(10, 10));
        c.blockForever = true;
        c.start();
        await(() -> c.opens.get() == 1, "open");
        long t0 = System.nanoTime();
        assertTrue("ends once aborted", c.stop(200));
        assertTrue(c.aborted);
        assertTrue("waited the grace period first", System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
        assertEquals(1, c.closes.get());
    }

    @Test
    public void stopBeforeStartAndTwiceIsHarmless() throws InterruptedException {
        Scripted c = new Scripted(new Backoff(10, 10));
        assertTrue(c.stop(100));
        c.start();
        CountDownLatch open = new CountDownLatch(1);
        await(() -> c.opens.get() == 1, "open");
        open.countDown();
        assertTrue(c.stop(1000));
        assertTrue(c.stop(1000));
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
