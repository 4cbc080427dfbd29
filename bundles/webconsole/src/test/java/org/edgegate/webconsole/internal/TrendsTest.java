package org.edgegate.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.Reading;
import org.junit.Test;

public class TrendsTest {
    private static Reading reading(long second, int millis, Object t) {
        return new Reading("th", 1, Instant.ofEpochSecond(second, millis * 1_000_000L),
                Map.of("temperature", t, "label", "text"), Map.of("temperature", "°C"), "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> series(Map<String, Object> json, String sensor, String channel) {
        return (Map<String, Object>) ((Map<String, Object>) json.get(sensor)).get(channel);
    }

    @Test
    public void oneBucketPerSecondWithLastMinAndMax() {
        Trends trends = new Trends();
        trends.readingReceived(reading(1000, 0, 20L));
        trends.readingReceived(reading(1000, 300, 25.5));
        trends.readingReceived(reading(1000, 600, 22L));
        trends.readingReceived(reading(1001, 0, 21L));
        Map<String, Object> s = series(trends.json(1001, 0), "th", "temperature");
        assertEquals("°C", s.get("unit"));
        assertEquals(List.of(1000L, 1001L), s.get("t"));
        assertEquals(List.of(22.0, 21.0), s.get("v"));
        assertEquals(List.of(20.0, 21.0), s.get("lo"));
        assertEquals(List.of(25.5, 21.0), s.get("hi"));
        assertTrue("text channels have no trend", !((Map<?, ?>) trends.json(1001, 0).get("th")).containsKey("label"));
        // incremental: from a second on, inclusive
        assertEquals(List.of(1001L), series(trends.json(1001, 1001), "th", "temperature").get("t"));
    }

    @Test
    public void tenMinutesAreKeptAndOlderGoes() {
        Trends trends = new Trends();
        for (long s = 0; s < 1500; s++) {
            trends.readingReceived(reading(10_000 + s, 0, s));
        }
        List<?> t = (List<?>) series(trends.json(11_499, 0), "th", "temperature").get("t");
        assertEquals(Trends.WINDOW_SECONDS, t.size());
        assertEquals(11_499L - Trends.WINDOW_SECONDS + 1, t.get(0));
        assertTrue("a sensor silent for the whole window is dropped", trends.json(11_499 + 601, 0).isEmpty());
    }
}
