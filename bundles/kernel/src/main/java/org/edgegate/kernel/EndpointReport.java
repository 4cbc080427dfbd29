package org.edgegate.kernel;

import java.util.function.Function;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.transport.EndpointStatistics;

/**
 * What an endpoint component (a ZeroMQ endpoint, an MQTT broker connection) reports of its connector: the running
 * one's health and statistics; when none runs, the reason it could not start (FAILED, and as the last error),
 * else STOPPED with nothing counted. One place, so {@code gw:status}, {@code gw:endpoints} and {@code /metrics}
 * say the same of every kind of endpoint.
 */
public final class EndpointReport {
    private EndpointReport() {
    }

    /**
     * @param running the component's connector, null when none runs
     * @param failure why the component did not start it, null when it did or was stopped
     */
    public static <T> Health health(T running, Function<T, Health> health, Health failure) {
        return running != null ? health.apply(running)
                : failure != null ? failure : Health.of(HealthState.STOPPED, "");
    }

    /** As {@link #health}: the running connector's counters, else none with the failure as the last error. */
    public static <T> EndpointStatistics statistics(T running, Function<T, EndpointStatistics> statistics,
            Health failure) {
        return running != null ? statistics.apply(running)
                : new EndpointStatistics(0, 0, 0, failure == null ? "" : failure.reason());
    }
}
