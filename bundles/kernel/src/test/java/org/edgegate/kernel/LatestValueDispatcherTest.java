package org.edgegate.kernel;

import static org.edgegate.kernel.ConnectorTest.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

public class LatestValueDispatcherTest {
    record Value(String key, int n) {
    }

    private final ExecutorService pool = Threads.pool("test-dispatch", 1);

    @After
    public void shutdown() {
        Threads.shutdown(pool, 2000);
    }

    @Test
    public void aSlowListenerGetsTheLatestValuePerKeyInOrderAndNeverBlocksThePublisher() throws Exception {
        AtomicInteger held = new AtomicInteger();
        LatestValueDispatcher.Retention<Value> counting = new LatestValueDispatcher.Retention<>() {
            @Override
            public boolean retain(Value value) {
                held.incrementAndGet();
                return true;
            }

            @Override
            public void release(Value value) {
                held.decrementAndGet();
            }
        };
        AtomicInteger dropsSeen = new AtomicInteger();
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key, counting,
                v -> dropsSeen.incrementAndGet(), ConnectorLog.NONE);
        CountDownLatch gate = new CountDownLatch(1);
        List<Value> slow = new CopyOnWriteArrayList<>();
        List<Value> fast = new CopyOnWriteArrayList<>();
        var slowSub = d.subscribe("slow", k -> true, v -> {
            gate.await();
            slow.add(v);
        });
        d.subscribe("fast", k -> k.equals("a"), fast::add);

        d.publish(new Value("a", 0)); // taken by the slow listener, which then blocks
        await(() -> slowSub.waiting() == 0, "slow listener busy with the first value");
        long t0 = System.nanoTime();
        for (int i = 1; i <= 1000; i++) {
            d.publish(new Value("a", i));
            d.publish(new Value("b", i));
        }
        assertTrue("publishing did not wait for the slow listener",
                System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        assertEquals("bounded by the number of keys", 2, slowSub.waiting());
        gate.countDown();
        await(() -> slow.size() == 3, "slow listener drained");
        assertEquals(List.of(new Value("a", 0), new Value("a", 1000), new Value("b", 1000)), slow);
        assertEquals("1,000 values of each key, the last delivered", 1998, slowSub.dropped());
        await(() -> fast.size() > 0 && fast.get(fast.size() - 1).n() == 1000, "fast listener saw the last a");
        for (int i = 1; i < fast.size(); i++) {
            assertTrue("in order", fast.get(i).n() > fast.get(i - 1).n());
        }
        assertTrue("fast listener saw no b", fast.stream().allMatch(v -> v.key().equals("a")));
        await(() -> held.get() == 0, "every retained value released");
        long fastDrops = d.subscriptions().stream().filter(s -> s.name().equals("fast")).findFirst().get().dropped();
        assertEquals(slowSub.dropped() + fastDrops, dropsSeen.get());
    }

    @Test
    public void aFailingListenerIsCountedAndKeepsReceiving() {
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key, ConnectorLog.NONE);
        List<Value> got = new CopyOnWriteArrayList<>();
        var s = d.subscribe("flaky", k -> true, v -> {
            if (v.n() == 1) {
                throw new IllegalStateException("boom");
            }
            got.add(v);
        });
        d.publish(new Value("a", 1));
        await(() -> s.failures() == 1, "failure counted");
        d.publish(new Value("a", 2));
        await(() -> got.size() == 1, "next value delivered");
        assertEquals(1, s.delivered());
    }

    @Test
    public void cancelReleasesWhatWaitsAndStopsDelivery() throws Exception {
        AtomicInteger held = new AtomicInteger();
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key,
                new LatestValueDispatcher.Retention<>() {
                    @Override
                    public boolean retain(Value value) {
                        held.incrementAndGet();
                        return true;
                    }

                    @Override
                    public void release(Value value) {
                        held.decrementAndGet();
                    }
                }, v -> { }, ConnectorLog.NONE);
        CountDownLatch gate = new CountDownLatch(1);
        List<Value> got = new CopyOnWriteArrayList<>();
        var s = d.subscribe("x", k -> true, v -> {
            gate.await();
            got.add(v);
        });
        d.publish(new Value("a", 1));
        await(() -> s.waiting() == 0, "busy");
        d.publish(new Value("b", 2));
        s.cancel();
        gate.countDown();
        await(() -> held.get() == 0, "all released");
        d.publish(new Value("c", 3));
        assertEquals(List.of(new Value("a", 1)), got);
        assertTrue(d.subscriptions().isEmpty());
    }

    @Test
    public void aDeeperQueueKeepsABurstWholeAndDropsTheOldestBeyondIt() throws Exception {
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key, 3, ConnectorLog.NONE);
        CountDownLatch gate = new CountDownLatch(1);
        List<Value> got = new CopyOnWriteArrayList<>();
        var s = d.subscribe("x", k -> true, v -> {
            gate.await();
            got.add(v);
        });
        d.publish(new Value("a", 0));
        await(() -> s.waiting() == 0, "busy with the first");
        for (int i = 1; i <= 5; i++) {
            d.publish(new Value("a", i));
        }
        d.publish(new Value("b", 1));
        assertEquals(4, s.waiting());
        gate.countDown();
        await(() -> got.size() == 5, "drained");
        assertEquals(List.of(new Value("a", 0), new Value("a", 3), new Value("a", 4), new Value("a", 5),
                new Value("b", 1)), got);
        assertEquals(2, s.dropped());
    }

    @Test
    public void aDirectListenerRunsOnThePublishersThreadAndNoThreadWakes() throws Exception {
        ExecutorService refusing = Threads.pool("never-used", 1);
        refusing.shutdown(); // a direct delivery must not need the executor at all
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(refusing, Value::key, ConnectorLog.NONE);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<Value> seen = new CopyOnWriteArrayList<>();
        var sub = d.subscribe("direct", k -> k.equals("a"), v -> {
            threads.add(Thread.currentThread());
            seen.add(v);
        }, true);
        for (int i = 0; i < 5; i++) {
            d.publish(new Value("a", i));
            d.publish(new Value("b", i));
        }
        assertEquals(List.of(0, 1, 2, 3, 4), seen.stream().map(Value::n).toList());
        assertTrue(threads.stream().allMatch(t -> t == Thread.currentThread()));
        assertEquals(5, sub.delivered());
        assertTrue(sub.direct());
    }

    @Test
    public void valuesTheDirectPredicateRefusesGoThroughTheExecutor() throws Exception {
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<String, Value>(pool, Value::key,
                ConnectorLog.NONE).directWhen(v -> v.n() % 2 == 0);
        List<Boolean> onPublisher = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        Thread me = Thread.currentThread();
        d.subscribe("direct", k -> true, v -> {
            onPublisher.add(Thread.currentThread() == me);
            two.countDown();
        }, true);
        d.publish(new Value("a", 0));
        d.publish(new Value("b", 1));
        assertTrue(two.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(true, false), onPublisher);
    }

    /** A busy machine preempts a quick listener now and then: a few slow calls, which cost its publisher little. */
    @Test
    public void aDirectListenerSlowNowAndThenStaysDirect() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key,
                ConnectorLog.of((f, a) -> { }, (f, a) -> warnings.add(ConnectorLog.format(f, a)), (f, a) -> { }));
        int warmUp = LatestValueDispatcher.WARM_UP_CALLS;
        var sub = d.subscribe("preempted", k -> true, v -> {
            if (v.n() > warmUp && v.n() % 50 == 0) {
                Thread.sleep(LatestValueDispatcher.SLOW_DIRECT_MILLIS + 1); // preempted: one call in 50
            }
        }, true);
        for (int i = 1; i <= warmUp + 600; i++) {
            d.publish(new Value("a", i));
        }
        // 12 slow calls in 600 (2 %: moved by the count alone) take ~72 ms, far from 200 ms of the window
        assertTrue("still direct: " + warnings, sub.direct());
        assertEquals(List.of(), warnings);
    }

    @Test
    public void aDirectListenerFoundSlowMovesToTheExecutor() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        LatestValueDispatcher<String, Value> d = new LatestValueDispatcher<>(pool, Value::key,
                ConnectorLog.of((f, a) -> { }, (f, a) -> warnings.add(ConnectorLog.format(f, a)), (f, a) -> { }));
        List<Thread> threads = new CopyOnWriteArrayList<>();
        int warmUp = LatestValueDispatcher.WARM_UP_CALLS;
        var sub = d.subscribe("slow direct", k -> true, v -> {
            threads.add(Thread.currentThread());
            if (v.n() == 0 || v.n() > warmUp) {
                Thread.sleep(LatestValueDispatcher.SLOW_DIRECT_MILLIS + 3); // a listener that blocks: the case under test
            }
        }, true);
        d.publish(new Value("a", 0)); // slow while warming up: forgiven
        for (int i = 1; i <= warmUp + LatestValueDispatcher.SLOW_DIRECT_CALLS; i++) {
            assertTrue(sub.direct());
            d.publish(new Value("a", i));
        }
        // each call now blocks 8 ms: moved once they took a tenth of the window (200 of 2,000 ms), ~25 calls
        long windowShare = LatestValueDispatcher.SHARE_WINDOW_MILLIS * LatestValueDispatcher.SLOW_DIRECT_SHARE_PERCENT / 100;
        int bound = (int) (windowShare / (LatestValueDispatcher.SLOW_DIRECT_MILLIS + 3)) + 1;
        for (int i = 1; i <= bound && sub.direct(); i++) {
            d.publish(new Value("a", warmUp + LatestValueDispatcher.SLOW_DIRECT_CALLS + i));
        }
        assertTrue("moved to the executor within " + bound + " more slow calls", !sub.direct());
        assertEquals(1, warnings.size());
        int direct = threads.size();
        d.publish(new Value("a", -1));
        await(() -> threads.size() == direct + 1, "the next value delivered");
        assertTrue(threads.subList(0, direct).stream().allMatch(t -> t == Thread.currentThread()));
        assertTrue(threads.get(direct) != Thread.currentThread());
    }
}
