package org.edgegate.api.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the shared state: a key, a typed value, the version of the write that made it and
 * the time of that write (epoch milliseconds).
 *
 * <p>The value is one of {@link Number} (held as {@link Long} or {@link Double}), {@link Boolean},
 * {@link String} or {@code byte[]}; see {@link StateValues}. Versions rise on every write anywhere in
 * the state, so a version identifies one write and is never reused, not even after a removal.
 */
public record StateEntry(String key, Object value, long version, long timestamp) {
    public StateEntry {
        StateKeys.check(key);
        value = StateValues.normalize(value);
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
    }

    public ValueType type() {
        return ValueType.of(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateEntry e
                && key.equals(e.key)
                && version == e.version
                && timestamp == e.timestamp
                && StateValues.equal(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version, timestamp, value instanceof byte[] b ? Arrays.hashCode(b) : value);
    }

    @Override
    public String toString() {
        return key + "=" + StateValues.format(value) + " (v" + version + ")";
    }
}
