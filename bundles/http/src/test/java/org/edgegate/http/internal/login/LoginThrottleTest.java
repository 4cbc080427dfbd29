package org.edgegate.http.internal.login;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Failed logins per address: a burst, then one per second; the log within limits. */
public class LoginThrottleTest {
    @Test
    public void aBurstThenOnePerRefill() {
        LoginThrottle t = new LoginThrottle();
        long now = 1_000_000;
        assertEquals(0, t.holdBack("a", now));
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            assertEquals("failure " + i, 0, t.holdBack("a", now));
            t.failed("a", "GET /", now);
        }
        long wait = t.holdBack("a", now);
        assertTrue(wait > 0 && wait <= LoginThrottle.REFILL_MS);
        assertEquals(0, t.holdBack("b", now));
        assertEquals(1, t.slowedAddresses(now));
        assertEquals(0, t.holdBack("a", now + LoginThrottle.REFILL_MS));
        t.failed("a", "GET /", now + LoginThrottle.REFILL_MS);
        assertTrue(t.holdBack("a", now + LoginThrottle.REFILL_MS) > 0);
        assertEquals("a quiet address recovers its burst", 0,
                t.holdBack("a", now + (LoginThrottle.BURST + 1) * LoginThrottle.REFILL_MS));
        assertEquals(LoginThrottle.BURST + 1, t.failedTotal());
        assertEquals(2, t.heldBackTotal());
    }

    @Test
    public void oneLineAtOnceThenOneSummaryAMinute() {
        LoginThrottle t = new LoginThrottle();
        long now = 5_000_000;
        String first = t.failed("192.0.2.1", "GET /metrics", now);
        assertNotNull(first);
        for (int i = 1; i < 30; i++) {
            t.holdBack("192.0.2.1", now + i);
            assertNull(t.failed("192.0.2.1", "GET /metrics", now + i));
        }
        String summary = t.failed("192.0.2.1", "GET /metrics", now + 60_000);
        assertTrue(summary, summary.contains("30 failed") && summary.contains("held back"));
    }

    @Test
    public void atMostSoManyLinesAMinuteInAll() {
        LoginThrottle t = new LoginThrottle();
        int lines = 0;
        for (int i = 0; i < 500; i++) {
            if (t.failed("10.0." + (i / 250) + "." + (i % 250), "GET /", 7_000_000) != null) {
                lines++;
            }
        }
        assertEquals(LoginThrottle.LINES_PER_MINUTE, lines);
    }

    @Test
    public void rememberedAddressesAreBounded() {
        LoginThrottle t = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.ADDRESSES + 100; i++) {
            for (int k = 0; k < LoginThrottle.BURST; k++) {
                t.failed("addr-" + i, "GET /", 1);
            }
        }
        assertTrue(t.slowedAddresses(1) <= LoginThrottle.ADDRESSES);
        assertEquals("the oldest forgotten", 0, t.holdBack("addr-0", 1));
    }
}
