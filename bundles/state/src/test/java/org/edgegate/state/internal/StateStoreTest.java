package org.edgegate.state.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.junit.Test;

public class StateStoreTest {
    private final AtomicLong clock = new AtomicLong(1000);
    private final List<StateChange> changes = new ArrayList<>();
    private final StateStore store = new StateStore(clock::get, c -> {
        synchronized (changes) {
            changes.add(c);
        }
    });

    @Test
    public void absentKeyIsEmptyNotAnError() {
        assertTrue(store.get("sensor/th/T").isEmpty());
        assertTrue(store.remove("sensor/th/T").isEmpty());
        assertTrue(changes.isEmpty());
    }

    @Test
    public void putStoresTypedValuesWithRisingVersionsAndTimestamps() {
        StateEntry a = store.put("a/n", 12);
        clock.set(2000);
        StateEntry b = store.put("a/d", -5.5);
        StateEntry c = store.put("a/b", true);
        StateEntry d = store.put("a/s", "hello");
        StateEntry e = store.put("a/x", new byte[] {1, 2, 3});
        assertEquals(12L, a.value());
        assertEquals(-5.5, b.value());
        assertEquals(Boolean.TRUE, c.value());
        assertEquals("hello", d.value());
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) e.value());
        assertTrue(a.version() < b.version() && b.version() < c.version());
        assertEquals(1000, a.timestamp());
        assertEquals(2000, b.timestamp());
        assertEquals(a, store.get("a/n").orElseThrow());
        assertEquals(5, changes.size());
    }

    @Test
    public void aValidatorRefusesEveryKindOfWriteWithTheKeyValueAndReason() {
        Validators validators = new Validators();
        validators.add((key, value) -> value instanceof Boolean ? null : "use true or false", List.of("cam/a/on"));
        StateStore checked = new StateStore(clock::get, changes::add, validators, StateLimits.DEFAULTS);
        assertEquals(Boolean.TRUE, checked.put("cam/a/on", true).value());
        assertEquals(7L, checked.put("cam/b/on", 7).value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checked.put("cam/a/on", "maybe"));
        assertEquals("cam/a/on = maybe refused: use true or false", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> checked.compareAndSet("cam/a/on", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> checked.compute("cam/a/on", old -> "x"));
        assertEquals(Boolean.TRUE, checked.get("cam/a/on").orElseThrow().value());
        assertEquals(2, changes.size());
    }

    @Test
    public void rejectsBadKeysAndValues() {
        assertThrows(IllegalArgumentException.class, () -> store.put("", 1));
        assertThrows(IllegalArgumentException.class, () -> store.put("a//b", 1));
        assertThrows(IllegalArgumentException.class, () -> store.put("a b", 1));
        assertThrows(IllegalArgumentException.class, () -> store.put("a", null));
        assertThrows(IllegalArgumentException.class, () -> store.put("a", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> store.put("a", new Object()));
        assertEquals(0, store.size());
    }

    @Test
    public void compareAndSetAppliesOnlyOnTheExpectedVersion() {
        CasResult created = store.compareAndSet("k", 0, 1);
        assertTrue(created.applied());
        CasResult stale = store.compareAndSet("k", 0, 2);
        assertFalse(stale.applied());
        assertEquals(created.entry(), stale.entry());
        CasResult next = store.compareAndSet("k", created.entry().version(), 2);
        assertTrue(next.applied());
        assertEquals(2L, next.entry().value());
        CasResult absent = store.compareAndSet("other", 7, 1);
        assertFalse(absent.applied());
        assertNull(absent.entry());
    }

    @Test
    public void versionsAreNeverReusedAfterRemoval() {
        long v1 = store.put("k", 1).version();
        store.remove("k");
        long v2 = store.put("k", 1).version();
        assertTrue(v2 > v1 + 1);
        assertFalse(store.compareAndSet("k", v1, 5).applied());
    }

    @Test
    public void computeIsAtomicAndNullRemoves() {
        assertEquals(1L, store.compute("n", v -> v == null ? 1 : ((Number) v).longValue() + 1).orElseThrow().value());
        assertEquals(2L, store.compute("n", v -> ((Number) v).longValue() + 1).orElseThrow().value());
        assertTrue(store.compute("n", v -> null).isEmpty());
        assertTrue(store.get("n").isEmpty());
        assertTrue(changes.get(changes.size() - 1).isRemoval());
        // removing an absent key through compute notifies nobody
        int before = changes.size();
        store.compute("n", v -> null);
        assertEquals(before, changes.size());
    }

    @Test
    public void removeReturnsThePreviousEntryAndNotifies() {
        StateEntry e = store.put("x/y", "v");
        assertEquals(e, store.remove("x/y").orElseThrow());
        StateChange last = changes.get(changes.size() - 1);
        assertTrue(last.isRemoval());
        assertEquals("x/y", last.key());
        assertTrue(last.version() > e.version());
    }

    @Test
    public void snapshotByPrefixIsSortedByKey() {
        store.put("sensor/th/T", 25);
        store.put("sensor/gas/MQ2", 123);
        store.put("sensor/th/H", 60);
        store.put("camera/0/enabled", true);
        List<String> keys = store.snapshot("sensor/").stream().map(StateEntry::key).toList();
        assertEquals(List.of("sensor/gas/MQ2", "sensor/th/H", "sensor/th/T"), keys);
        assertEquals(2, store.snapshot("sensor/th/").size());
        assertEquals(4, store.snapshot("").size());
        assertEquals(4, store.snapshot(null).size());
    }

    @Test
    public void manyThreadsIncrementingThroughCompareAndSetEndOnTheExactCount() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    while (true) {
                        StateEntry current = store.get("counter").orElse(null);
                        long version = current == null ? 0 : current.version();
                        long value = current == null ? 0 : (Long) current.value();
                        if (store.compareAndSet("counter", version, value + 1).applied()) {
                            break;
                        }
                    }
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals((long) threads * perThread, store.get("counter").orElseThrow().value());
    }

    @Test
    public void whoeverTheSinkTellsAlreadyReadsTheNewValue() {
        StateStore[] self = new StateStore[1];
        List<Object> readBack = new ArrayList<>();
        self[0] = new StateStore(clock::get, c -> readBack.add(self[0].get(c.key()).map(StateEntry::value).orElse(null)));
        self[0].put("k", 1);
        self[0].put("k", 2);
        self[0].remove("k");
        assertEquals(java.util.Arrays.asList(1L, 2L, null), readBack);
    }

    @Test
    public void changesOfOneKeyReachTheSinkInVersionOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 1000; i++) {
                    store.put("hot", i);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        long previous = 0;
        for (StateChange c : changes) {
            assertTrue(c.version() > previous);
            previous = c.version();
        }
        assertEquals(4000, changes.size());
    }
}
