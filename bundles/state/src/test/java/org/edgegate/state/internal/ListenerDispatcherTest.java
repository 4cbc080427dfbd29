package org.edgegate.state.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateListener;
import org.junit.After;
import org.junit.Test;

public class ListenerDispatcherTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ListenerDispatcher dispatcher = new ListenerDispatcher(executor, (m, e) -> errors.add(e));
    private long version;

    @After
    public void stop() {
        executor.shutdownNow();
    }

    private StateChange change(String key, Object value) {
        return StateChange.written(new StateEntry(key, value, ++version, 0));
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue("timed out", latch.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void deliversOffTheWriterThreadOnlyUnderItsPrefixes() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        dispatcher.add(c -> {
            seen.add(c.key());
            threads.add(Thread.currentThread());
            two.countDown();
        }, List.of("camera/", "sensor/th/"), false);
        dispatcher.dispatch(change("sensor/gas/MQ2", 1));
        dispatcher.dispatch(change("camera/0/enabled", true));
        dispatcher.dispatch(change("sensor/th/T", 25));
        await(two);
        assertEquals(List.of("camera/0/enabled", "sensor/th/T"), seen);
        assertNotEquals(Thread.currentThread(), threads.get(0));
    }

    @Test
    public void slowListenerGetsTheLatestValuePerKeyAndDoesNotDelayOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        List<Object> slowSeen = new CopyOnWriteArrayList<>();
        CountDownLatch slowDone = new CountDownLatch(2);
        dispatcher.add(c -> {
            slowStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowSeen.add(c.entry().value());
            slowDone.countDown();
        }, List.of(), false);
        CountDownLatch fastSaw1000 = new CountDownLatch(1);
        List<Object> fastSeen = new CopyOnWriteArrayList<>();
        dispatcher.add(c -> {
            fastSeen.add(c.entry().value());
            if (c.entry().value().equals(999L)) {
                fastSaw1000.countDown();
            }
        }, List.of(), false);

        dispatcher.dispatch(change("k", 0));
        await(slowStarted);
        for (int i = 1; i < 1000; i++) {
            dispatcher.dispatch(change("k", i));
        }
        await(fastSaw1000);
        release.countDown();
        await(slowDone);
        // the slow one saw the first value, then only the latest: no queue of 999 changes
        assertEquals(List.of(0L, 999L), slowSeen);
        long previous = -1;
        for (Object v : fastSeen) {
            assertTrue("in order", (Long) v > previous);
            previous = (Long) v;
        }
    }

    @Test
    public void listenerThatThrowsIsLoggedAndKeepsReceiving() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        StateListener failing = c -> {
            both.countDown();
            throw new IllegalStateException("boom " + c.key());
        };
        dispatcher.add(failing, List.of(), false);
        dispatcher.dispatch(change("a", 1));
        dispatcher.dispatch(change("b", 1));
        await(both);
        for (int i = 0; i < 100 && errors.size() < 2; i++) {
            Thread.sleep(20);
        }
        assertEquals(2, errors.size());
    }

    @Test
    public void removedListenerHearsNothingMore() throws Exception {
        List<String> seen = new ArrayList<>();
        StateListener l = c -> {
            synchronized (seen) {
                seen.add(c.key());
            }
        };
        dispatcher.add(l, List.of(), false);
        dispatcher.remove(l);
        dispatcher.dispatch(change("a", 1));
        executor.shutdown();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(seen.isEmpty());
    }

    @Test
    public void writersNeverSeeAStoppedExecutor() {
        dispatcher.add(c -> { }, List.of(), false);
        executor.shutdownNow();
        dispatcher.dispatch(change("a", 1));
        assertFalse(errors.size() > 0);
    }
}
