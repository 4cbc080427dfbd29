package org.edgegate.kernel;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;

/**
 * The health of one connector, logged once per change: entering OPEN at info, a new problem state at
 * warn, STARTING, STOPPED and a changed reason within the same state at debug; repeating the current health logs
 * nothing. Thread-safe.
 */
public final class HealthTracker {
    private final String label;
    private final ConnectorLog log;
    private volatile Health health = Health.of(HealthState.STARTING, "");

    /** {@code label} starts every log line, e.g. {@code sensor th (/dev/ttyUSB0)}. */
    public HealthTracker(String label, ConnectorLog log) {
        this.label = label;
        this.log = log;
    }

    public Health get() {
        return health;
    }

    /** Sets the health; returns true when it changed (and was logged). */
    public synchronized boolean set(HealthState state, String reason) {
        String why = reason == null ? "" : reason;
        Health before = health;
        if (before.state() == state && before.reason().equals(why)) {
            return false;
        }
        // a new reason within the same state keeps the time the state was entered
        health = new Health(state, why, before.state() == state ? before.since() : null);
        String format = why.isEmpty() ? "{}: {}" : "{}: {} - {}";
        if (state == HealthState.OPEN) {
            log.info(format, label, state, why);
        } else if (state == HealthState.STARTING || state == HealthState.STOPPED || before.state() == state) {
            log.debug(format, label, state, why);
        } else {
            log.warn(format, label, state, why);
        }
        return true;
    }
}
