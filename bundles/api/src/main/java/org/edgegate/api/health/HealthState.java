package org.edgegate.api.health;

/** Lifecycle state of a sensor, camera or endpoint. */
public enum HealthState {
    /** Configured, not yet open. */
    STARTING,
    /** Open and working. */
    OPEN,
    /** Lost its device or peer; retrying with back-off by itself. */
    RECONNECTING,
    /** Stopped on purpose (disabled). */
    STOPPED,
    /** Cannot work until its configuration is fixed; the reason says why. */
    FAILED
}
