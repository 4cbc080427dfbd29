package org.edgegate.api.sensor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed line of a sensor: its channels' values (after mapping: renamed, scaled), their units,
 * when it was read, its sequence number (rises by one per line of this sensor) and the raw line.
 * Values are {@link Long}, {@link Double} or, for text that is not numeric, {@link String}.
 */
public record Reading(String sensorId, long sequence, Instant time, Map<String, Object> values,
        Map<String, String> units, String raw) {

    public Reading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(time, "time");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        raw = raw == null ? "" : raw;
    }
}
