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
import org.edgegate.api.state.StateValues;

/**
 * The state itself, plain Java. Every write happens inside {@link ConcurrentHashMap#compute}, so
 * writes to one key are serialised, and the change is handed to the sink while the key is still
 * held: the sink sees the changes of a key in version order.
 */
final class StateStore implements StateService {
    private final ConcurrentHashMap<String, StateEntry> entries = new ConcurrentHashMap<>();
    private final AtomicLong lastVersion = new AtomicLong();
    private final LongSupplier clock;
    private final Consumer<StateChange> changeSink;

    StateStore(LongSupplier clock, Consumer<StateChange> changeSink) {
        this.clock = clock;
        this.changeSink = changeSink;
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
        Object checked = StateValues.normalize(value);
        return entries.compute(StateKeys.check(key), (k, old) -> write(k, checked));
    }

    @Override
    public CasResult compareAndSet(String key, long expectedVersion, Object value) {
        Object checked = StateValues.normalize(value);
        boolean[] applied = new boolean[1];
        StateEntry now = entries.compute(StateKeys.check(key), (k, old) -> {
            long current = old == null ? 0 : old.version();
            if (current != expectedVersion) {
                return old;
            }
            applied[0] = true;
            return write(k, checked);
        });
        return new CasResult(applied[0], now);
    }

    @Override
    public Optional<StateEntry> compute(String key, UnaryOperator<Object> remap) {
        return Optional.ofNullable(entries.compute(StateKeys.check(key), (k, old) -> {
            Object next = remap.apply(old == null ? null : old.value());
            if (next == null) {
                if (old != null) {
                    removed(k);
                }
                return null;
            }
            return write(k, StateValues.normalize(next));
        }));
    }

    @Override
    public Optional<StateEntry> remove(String key) {
        StateEntry[] previous = new StateEntry[1];
        entries.computeIfPresent(StateKeys.check(key), (k, old) -> {
            previous[0] = old;
            removed(k);
            return null;
        });
        return Optional.ofNullable(previous[0]);
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

    private StateEntry write(String key, Object value) {
        StateEntry entry = new StateEntry(key, value, lastVersion.incrementAndGet(), clock.getAsLong());
        changeSink.accept(StateChange.written(entry));
        return entry;
    }

    private void removed(String key) {
        changeSink.accept(StateChange.removed(key, lastVersion.incrementAndGet(), clock.getAsLong()));
    }
}
