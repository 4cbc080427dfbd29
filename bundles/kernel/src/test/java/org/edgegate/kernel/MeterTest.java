package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class MeterTest {
    @Test
    public void countsAndAveragesOverCompleteSeconds() {
        AtomicLong now = new AtomicLong(10_000);
        Meter m = new Meter(now::get);
        assertEquals(0.0, m.perSecond(), 0);
        m.mark(5);
        now.set(11_000);
        m.mark(3);
        now.set(12_000);
        assertEquals(8, m.count());
        assertEquals(4.0, m.perSecond(), 1e-9); // (5 + 3) over two complete seconds
        now.set(30_000);
        assertEquals(0.0, m.perSecond(), 0); // older than the ten-second window
        assertEquals(8, m.count());
    }
}
