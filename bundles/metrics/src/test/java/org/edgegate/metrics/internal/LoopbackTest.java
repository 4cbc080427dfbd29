package org.edgegate.metrics.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The address rule of /metrics: loopback by literal address only, never by a resolved name. */
public class LoopbackTest {
    @Test
    public void loopbackOnlyByLiteralAddress() {
        assertTrue(MetricsServlet.loopback("127.0.0.1"));
        assertTrue(MetricsServlet.loopback("127.3.2.1"));
        assertTrue(MetricsServlet.loopback("::1"));
        assertTrue(MetricsServlet.loopback("[::1]"));
        assertTrue(MetricsServlet.loopback("0:0:0:0:0:0:0:1"));
        assertFalse(MetricsServlet.loopback("192.168.1.5"));
        assertFalse(MetricsServlet.loopback("localhost"));
        assertFalse(MetricsServlet.loopback(""));
        assertFalse(MetricsServlet.loopback(null));
    }
}
