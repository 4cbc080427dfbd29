package org.edgegate.api.state;

/**
 * A change delivered to a {@link StateListener}: the entry written, or for a removal the key with
 * {@code entry} null and the version of the removal.
 */
public record StateChange(String key, StateEntry entry, long version, long timestamp) {

    public static StateChange written(StateEntry entry) {
        return new StateChange(entry.key(), entry, entry.version(), entry.timestamp());
    }

    public static StateChange removed(String key, long version, long timestamp) {
        return new StateChange(key, null, version, timestamp);
    }

    public boolean isRemoval() {
        return entry == null;
    }
}
