package org.edgegate.state.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateKeys;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValidator;
import org.edgegate.api.state.StateValues;

/**
 * The state itself, plain Java. Reads are lock-free. Writes to one key are serialised by a lock
 * stripe: the entry is stored first and the change handed to the sink while the stripe is still
 * held, so the sink sees the changes of a key in version order, and whoever it tells already reads
 * the new value.
 */
final class StateStore implements StateService {
    private static final int STRIPES = 64;

    private final ConcurrentHashMap<String, StateEntry> entries = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong lastVersion = new AtomicLong();
    private final LongSupplier clock;
    private final Consumer<StateChange> changeSink;
    private final StateValidator validator;

    StateStore(LongSupplier clock, Consumer<StateChange> changeSink) {
        this(clock, changeSink, (key, value) -> null);
    }

    StateStore(LongSupplier clock, Consumer<StateChange> changeSink, StateValidator validator) {
        this.clock = clock;
        this.changeSink = changeSink;
        this.validator = validator;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Loads entries from a snapshot, without notifying anyone. */
    void restore(Collection<StateEntry> restored) {
        for (StateEntry e : restored) {
            entries.put(e.key(), e);
            lastVersion.accumulateAndGet(e.version(), Math::max);
        }
    }

    long lastVersion() {
        return lastVersion.get();
    }

    int size() {
        return entries.size();
    }

    @Override
    public Optional<StateEntry> get(String key) {
        return Optional.ofNullable(entries.get(StateKeys.check(key)));
    }

    @Override
    public StateEntry put(String key, Object value) {
        Object checked = checked(key, value);
        synchronized (stripe(key)) {
            return write(key, checked);
        }
    }

    @Override
    public CasResult compareAndSet(String key, long expectedVersion, Object value) {
        Object checked = checked(key, value);
        synchronized (stripe(key)) {
            StateEntry old = entries.get(key);
            long current = old == null ? 0 : old.version();
            if (current != expectedVersion) {
                return new CasResult(false, old);
            }
            return new CasResult(true, write(key, checked));
        }
    }

    @Override
    public Optional<StateEntry> compute(String key, UnaryOperator<Object> remap) {
        synchronized (stripe(key)) {
            StateEntry old = entries.get(key);
            Object next = remap.apply(old == null ? null : old.value());
            if (next == null) {
                if (old != null) {
                    delete(key);
                }
                return Optional.empty();
            }
            return Optional.of(write(key, checked(key, next)));
        }
    }

    /** The value normalized, or an IllegalArgumentException naming key, value and why it is refused. */
    private Object checked(String key, Object value) {
        Object normalized = StateValues.normalize(value);
        String problem = validator.problem(key, normalized);
        if (problem != null) {
            throw new IllegalArgumentException(key + " = " + StateValues.format(normalized) + " refused: " + problem);
        }
        return normalized;
    }

    @Override
    public Optional<StateEntry> remove(String key) {
        synchronized (stripe(key)) {
            StateEntry old = entries.get(key);
            if (old != null) {
                delete(key);
            }
            return Optional.ofNullable(old);
        }
    }

    @Override
    public List<StateEntry> snapshot(String prefix) {
        String p = prefix == null ? "" : prefix;
        List<StateEntry> result = new ArrayList<>();
        for (StateEntry e : entries.values()) {
            if (e.key().startsWith(p)) {
                result.add(e);
            }
        }
        result.sort(Comparator.comparing(StateEntry::key));
        return result;
    }

    /** Checks the key and returns the lock that serialises its writers. */
    private Object stripe(String key) {
        return stripes[Math.floorMod(StateKeys.check(key).hashCode(), STRIPES)];
    }

    /** Called holding the key's stripe. */
    private StateEntry write(String key, Object value) {
        StateEntry entry = new StateEntry(key, value, lastVersion.incrementAndGet(), clock.getAsLong());
        entries.put(key, entry);
        changeSink.accept(StateChange.written(entry));
        return entry;
    }

    /** Called holding the key's stripe. */
    private void delete(String key) {
        entries.remove(key);
        changeSink.accept(StateChange.removed(key, lastVersion.incrementAndGet(), clock.getAsLong()));
    }
}
