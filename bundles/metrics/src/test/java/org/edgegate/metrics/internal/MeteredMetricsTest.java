package org.edgegate.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.edgegate.api.health.Metered;
import org.junit.Test;

public class MeteredMetricsTest {

    @Test
    public void writesTheServicesSamples() {
        Registry r = new Registry();
        long[] errors = new long[1];
        Metered clips = out -> {
            out.counter("edgegate_clips_written_total", "Clips written", 3, "rule", "smoke");
            out.counter("edgegate_clips_written_total", "Clips written", 1, "rule", "manual");
            out.gauge("edgegate_clips_ring_bytes", "Ring bytes", 1024, "camera", "demo");
        };
        MeteredMetrics.collect(r, List.of(clips), errors);
        assertEquals("""
                # HELP edgegate_clips_written_total Clips written
                # TYPE edgegate_clips_written_total counter
                edgegate_clips_written_total{rule="smoke"} 3
                edgegate_clips_written_total{rule="manual"} 1
                # HELP edgegate_clips_ring_bytes Ring bytes
                # TYPE edgegate_clips_ring_bytes gauge
                edgegate_clips_ring_bytes{camera="demo"} 1024
                """, r.text());
        assertEquals(0, errors[0]);
    }

    @Test
    public void aServiceBreakingTheRulesLosesItsRestNotTheScrape() {
        Registry r = new Registry();
        long[] errors = new long[1];
        Metered foreign = out -> out.gauge("jvm_threads_current", "forged", 1);
        Metered own = out -> out.gauge("edgegate_metrics_scrapes_total", "forged", 1);
        Metered thrower = out -> {
            throw new IllegalStateException("broken");
        };
        Metered flood = out -> {
            for (int i = 0; i < MeteredMetrics.MAX_SAMPLES + 10; i++) {
                out.gauge("edgegate_flood", "many", i, "n", Integer.toString(i));
            }
        };
        Metered good = out -> out.gauge("edgegate_good", "fine", 1);
        MeteredMetrics.collect(r, List.of(foreign, own, thrower, flood, good), errors);
        assertEquals(4, errors[0]);
        String text = r.text();
        assertFalse(text, text.contains("jvm_threads_current") || text.contains("forged"));
        assertTrue(text.contains("edgegate_good 1"));
        assertEquals(MeteredMetrics.MAX_SAMPLES, text.lines().filter(l -> l.startsWith("edgegate_flood{")).count());
    }
}
