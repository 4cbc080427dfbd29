package org.edgegate.state.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateLimitException;
import org.edgegate.config.TypedConfig;
import org.junit.Test;

public class StateLimitsTest {
    private static final StateLimits SMALL = new StateLimits(10, 1000, 5000, 32);

    private static StateStore store(StateLimits limits) {
        return new StateStore(() -> 1, c -> { }, (k, v) -> null, limits);
    }

    @Test
    public void defaultsComeFromTheMetatypeAndBadValuesAreRefusedByName() {
        StateLimits d = StateLimits.of(TypedConfig.of(StateConfig.class, Map.of()), Map.of());
        assertEquals(StateLimits.DEFAULTS, d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateLimits.of(
                TypedConfig.of(StateConfig.class, Map.of("maxEntries", "lots")), Map.of("maxEntries", "lots")));
        assertEquals("maxEntries must be a whole number, not 'lots'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StateLimits(10, 1000, 100, 32));
    }

    @Test
    public void aValueOverMaxValueBytesIsRefusedNamingTheLimitNotTheValue() {
        StateStore s = store(SMALL);
        s.put("a", "x".repeat(1000));
        StateLimitException e = assertThrows(StateLimitException.class, () -> s.put("b", "y".repeat(1001)));
        assertEquals("maxValueBytes", e.limit());
        assertFalse(e.getMessage(), e.getMessage().contains("yyyy"));
        assertTrue(e.getMessage(), e.getMessage().contains("maxValueBytes of 1000 B"));
        // multi-byte characters count as their UTF-8 bytes
        assertThrows(StateLimitException.class, () -> s.put("c", "é".repeat(501)));
        assertThrows(StateLimitException.class, () -> s.put("d", new byte[1001]));
        assertTrue(s.get("b").isEmpty());
    }

    @Test
    public void maxEntriesRefusesNewKeysButNotUpdatesOrRemovals() {
        StateStore s = store(SMALL);
        for (int i = 0; i < 10; i++) {
            s.put("k/" + i, i);
        }
        StateLimitException e = assertThrows(StateLimitException.class, () -> s.put("k/10", 10));
        assertEquals("maxEntries", e.limit());
        s.put("k/3", 33); // an existing key may still change
        s.remove("k/0");
        s.put("k/10", 10);
        assertEquals(10, s.size());
        assertEquals(1, s.refusals());
    }

    @Test
    public void maxBytesCountsKeysValuesAndOverheadAndFreesOnRemove() {
        StateStore s = store(SMALL);
        long one = StateLimits.entryBytes("v/0", "x".repeat(900));
        int fit = (int) (5000 / one);
        for (int i = 0; i < fit; i++) {
            s.put("v/" + i, "x".repeat(900));
        }
        assertEquals(fit * one, s.bytes());
        StateLimitException e = assertThrows(StateLimitException.class, () -> s.put("v/" + fit, "x".repeat(900)));
        assertEquals("maxBytes", e.limit());
        assertEquals(fit * one, s.bytes());
        assertEquals(fit, s.size());
        // a smaller value for a held key shrinks the total and always passes
        s.put("v/0", "y");
        assertEquals((fit - 1) * one + StateLimits.entryBytes("v/0", "y"), s.bytes());
        s.put("v/" + fit, "x".repeat(900));
        s.remove("v/1");
        s.compute("v/2", old -> null);
        assertEquals((fit - 2) * one + StateLimits.entryBytes("v/0", "y"), s.bytes());
    }

    @Test
    public void keysOverMaxKeyLengthAreRefused() {
        StateStore s = store(SMALL);
        StateLimitException e = assertThrows(StateLimitException.class, () -> s.put("k".repeat(33), 1));
        assertEquals("maxKeyLength", e.limit());
        s.put("k".repeat(32), 1);
    }

    @Test
    public void compareAndSetAndComputeAreBoundToo() {
        StateStore s = store(SMALL);
        assertThrows(StateLimitException.class, () -> s.compareAndSet("a", 0, "x".repeat(2000)));
        s.put("a", 1);
        assertThrows(StateLimitException.class, () -> s.compute("a", old -> "x".repeat(2000)));
        assertEquals(1L, s.get("a").orElseThrow().value());
    }

    @Test
    public void concurrentWritersNeverPassTheLimits() throws Exception {
        StateLimits limits = new StateLimits(1000, 1000, 50_000, 32);
        StateStore s = store(limits);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> accepted = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            accepted.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 200; i++) {
                    try {
                        s.put(String.format("t%d/%03d", thread, i), "x".repeat(500));
                        ok++;
                    } catch (StateLimitException full) {
                        // expected once full
                    }
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : accepted) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long one = StateLimits.entryBytes("t0/000", "x".repeat(500));
        assertTrue(s.bytes() <= 50_000);
        assertEquals(total, s.size());
        assertEquals(50_000 / one, total); // every write that fits is taken: the limit is exact
        long sum = 0;
        for (StateEntry e : s.snapshot("")) {
            sum += StateLimits.entryBytes(e.key(), e.value());
        }
        assertEquals(sum, s.bytes());
    }

    @Test
    public void restoreKeepsWhatWasSavedEvenOverLoweredLimits() {
        StateStore s = store(new StateLimits(2, 1000, 5000, 32));
        s.restore(List.of(new StateEntry("a", 1L, 1, 1), new StateEntry("b", 2L, 2, 1), new StateEntry("c", 3L, 3, 1)));
        assertEquals(3, s.size());
        assertThrows(StateLimitException.class, () -> s.put("d", 4));
        s.put("a", 5); // not a new entry: passes
        assertTrue(SMALL.usage(9, 100).startsWith("warning: 90 % of maxEntries used"));
        assertEquals("1 of 10 entries, 100 B of 4.9 KiB", SMALL.usage(1, 100));
    }

    @Test
    public void refusedValidatorMessagesAreShortened() {
        StateStore s = new StateStore(() -> 1, c -> { }, (k, v) -> "no", StateLimits.DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.put("a", "z".repeat(60_000)));
        assertTrue(e.getMessage(), e.getMessage().length() < 300);
    }

    @Test
    public void valuesCountAsJsonCarriesThem() {
        assertEquals(3, StateLimits.valueBytes("abc"));
        assertEquals(4, StateLimits.valueBytes("é\""));
        assertEquals(6 * 10, StateLimits.valueBytes("\u0001".repeat(10)));
        assertEquals(4, StateLimits.valueBytes(new byte[3]));
        assertEquals(24, StateLimits.valueBytes(1.5));
    }
}
