package org.edgegate.api.sensor;

import java.time.Instant;

/**
 * Counters of one sensor since its configuration was applied. {@code lastSeen} is null before the
 * first line; {@code lastLine} and {@code lastError} are escaped so control bytes print safely.
 */
public record SensorStatistics(long lines, long bytes, long parseErrors, long droppedLines, long reconnects,
        String lastLine, String lastError, Instant lastSeen, double linesPerSecond) {
}
