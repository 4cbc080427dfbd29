package org.edgegate.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A state, the reason for it (empty when there is nothing to say) and when it was entered.
 */
public record Health(HealthState state, String reason, Instant since) {
    public Health {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        since = since == null ? Instant.now() : since;
    }

    public static Health of(HealthState state, String reason) {
        return new Health(state, reason, Instant.now());
    }

    /** True for the states that need an operator's attention or are transient failures. */
    public boolean isProblem() {
        return state == HealthState.FAILED || state == HealthState.RECONNECTING;
    }
}
