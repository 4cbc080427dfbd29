package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class BackoffTest {
    @Test
    public void doublesUpToTheMaximumAndResets() {
        Backoff b = new Backoff(100, 700, 0, () -> 0.5);
        assertEquals(100, b.next());
        assertEquals(200, b.next());
        assertEquals(400, b.next());
        assertEquals(700, b.next());
        assertEquals(700, b.next());
        b.reset();
        assertEquals(100, b.next());
    }

    @Test
    public void jitterShortensEachDelayByAtMostItsShare() {
        Backoff none = new Backoff(1000, 1000, 0.2, () -> 0.0);
        assertEquals(1000, none.next());
        Backoff most = new Backoff(1000, 1000, 0.2, () -> 0.999999);
        assertEquals(800, most.next());
        Backoff random = new Backoff(1000, 8000);
        for (int i = 0; i < 100; i++) {
            long d = random.next();
            assertTrue(d + " out of range", d >= 800 && d <= 8000);
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesAMaximumBelowTheFirst() {
        new Backoff(100, 50);
    }
}
