package org.edgegate.api.state;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's shared state: what the seed kept in a multiprocessing Manager dict, done right.
 * Keys are hierarchical strings ({@link StateKeys}); values are numbers, booleans, strings or bytes
 * ({@link StateValues}). Reading an absent key is not an error. Every write gets a new version.
 */
@ProviderType
public interface StateService {

    /** The entry under the key, or empty if there is none. */
    Optional<StateEntry> get(String key);

    /**
     * Writes a value and returns the new entry.
     *
     * @throws IllegalArgumentException for a value that is no state value, or one a {@link StateValidator}
     *         of the key refuses ({@code "camera/a/enabled = maybe refused: use true or false"})
     */
    StateEntry put(String key, Object value);

    /**
     * Writes only if the key's current version is {@code expectedVersion}; {@code 0} means "only if
     * absent".
     */
    CasResult compareAndSet(String key, long expectedVersion, Object value);

    /**
     * Atomically replaces the key's value with {@code remap(current)}; current is null when absent. A
     * null result removes the key. The function may run while other writers of this key wait, so
     * keep it short. Returns the entry held afterwards, empty when none.
     */
    Optional<StateEntry> compute(String key, UnaryOperator<Object> remap);

    /** Removes the key; returns the entry it held. */
    Optional<StateEntry> remove(String key);

    /**
     * The entries whose key starts with {@code prefix} ("" for all), sorted by key. A prefix that does
     * not end in {@code /} also matches longer segments: {@code sensor/t} matches {@code sensor/th/T}.
     */
    List<StateEntry> snapshot(String prefix);
}
