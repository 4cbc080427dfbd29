package org.edgegate.api.state;

/**
 * Outcome of {@link StateService#compareAndSet}: whether the write was applied, and the entry now
 * held (the new one when applied, the current one, or null if absent, when not).
 */
public record CasResult(boolean applied, StateEntry entry) {
}
