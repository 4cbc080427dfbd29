package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.edgegate.api.health.HealthState;
import org.junit.Test;

public class HealthTrackerTest {
    @Test
    public void logsOncePerChangeAtTheLevelOfTheChange() {
        List<String> lines = new ArrayList<>();
        ConnectorLog log = RecordingLog.into(lines);
        HealthTracker h = new HealthTracker("sensor a", log);
        assertEquals(HealthState.STARTING, h.get().state());
        assertTrue(h.set(HealthState.RECONNECTING, "gone"));
        assertFalse(h.set(HealthState.RECONNECTING, "gone"));
        assertTrue(h.set(HealthState.RECONNECTING, "still gone"));
        assertTrue(h.set(HealthState.OPEN, null));
        assertTrue(h.set(HealthState.STOPPED, ""));
        assertEquals(List.of("WARN sensor a: RECONNECTING - gone", "DEBUG sensor a: RECONNECTING - still gone",
                "INFO sensor a: OPEN", "DEBUG sensor a: STOPPED"), lines);
        assertEquals("", h.get().reason());
    }
}
