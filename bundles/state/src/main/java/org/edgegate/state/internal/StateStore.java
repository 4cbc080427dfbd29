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
import org.edgegate.api.state.StateLimitException;
import org.edgegate.api.state.StateService;
import org.edgegate.api.state.StateValidator;
import org.edgegate.api.state.StateValues;

/**
 * The state itself, plain Java. Reads are lock-free. Writes to one key are serialised by a lock
 * stripe: the entry is stored first and the change handed to the sink while the stripe is still
 * held, so the sink sees the changes of a key in version order, and whoever it tells already reads
 * the new value. Every write is checked against the {@link StateLimits} before it is stored: the entry
 * count and byte total are reserved atomically, so writers on different stripes cannot pass a limit
 * together.
 */
final class StateStore implements StateService {
    private static final int STRIPES = 64;

    private final ConcurrentHashMap<String, StateEntry> entries = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong lastVersion = new AtomicLong();
    private final LongSupplier clock;
    private final Consumer<StateChange> changeSink;
    private final StateValidator validator;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final StateLimits limits;

    StateStore(LongSupplier clock, Consumer<StateChange> changeSink) {
        this(clock, changeSink, (key, value) -> null, StateLimits.DEFAULTS);
    }

    StateStore(LongSupplier clock, Consumer<StateChange> changeSink, StateValidator validator, StateLimits limits) {
        this.clock = clock;
        this.changeSink = changeSink;
        this.validator = validator;
        this.limits = limits;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Loads entries from a snapshot, without notifying anyone. Limits are not applied: what was saved is
     * kept even when the limits were lowered since; writes are refused until the state is under them.
     */
    void restore(Collection<StateEntry> restored) {
        for (StateEntry e : restored) {
            StateEntry old = entries.put(e.key(), e);
            if (old == null) {
                count.incrementAndGet();
            } else {
                bytes.addAndGet(-StateLimits.entryBytes(old.key(), old.value()));
            }
            bytes.addAndGet(StateLimits.entryBytes(e.key(), e.value()));
            lastVersion.accumulateAndGet(e.version(), Math::max);
        }
    }

    StateLimits limits() {
        return limits;
    }

    /** Bytes held, by the limits' count. */
    long bytes() {
        return bytes.get();
    }

    /** Writes refused by a limit since the store was made. */
    long refusals() {
        return refusals.get();
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
        synchronized (stripeOfChecked(key)) {
            return write(key, checked);
        }
    }

    @Override
    public CasResult compareAndSet(String key, long expectedVersion, Object value) {
        Object checked = checked(key, value);
        synchronized (stripeOfChecked(key)) {
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

    /**
     * The value normalized, or an IllegalArgumentException naming key, value (shortened) and why it is
     * refused; a value over a per-write limit is refused before any validator sees it.
     */
    private Object checked(String key, Object value) {
        Object normalized = StateValues.normalize(value);
        StateKeys.check(key);
        try {
            limits.checkWrite(key, normalized);
        } catch (StateLimitException e) {
            refusals.incrementAndGet();
            throw e;
        }
        String problem = validator.problem(key, normalized);
        if (problem != null) {
            throw new IllegalArgumentException(StateKeys.quote(key) + " = "
                    + StateKeys.quote(StateValues.format(normalized)) + " refused: " + StateKeys.quote(problem));
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
        return stripeOfChecked(StateKeys.check(key));
    }

    /** The lock of a key {@link #checked} already passed (a key is checked once per write). */
    private Object stripeOfChecked(String key) {
        return stripes[Math.floorMod(key.hashCode(), STRIPES)];
    }

    /** Called holding the key's stripe. */
    private StateEntry write(String key, Object value) {
        StateEntry old = entries.get(key);
        reserve(key, old == null ? 1 : 0, StateLimits.entryBytes(key, value)
                - (old == null ? 0 : StateLimits.entryBytes(old.key(), old.value())));
        StateEntry entry = new StateEntry(key, value, lastVersion.incrementAndGet(), clock.getAsLong());
        entries.put(key, entry);
        changeSink.accept(StateChange.written(entry));
        return entry;
    }

    /** Called holding the key's stripe. */
    private void delete(String key) {
        StateEntry old = entries.remove(key);
        count.decrementAndGet();
        bytes.addAndGet(-StateLimits.entryBytes(old.key(), old.value()));
        changeSink.accept(StateChange.removed(key, lastVersion.incrementAndGet(), clock.getAsLong()));
    }

    /**
     * Takes {@code moreEntries} and {@code moreBytes} from the limits, or throws leaving both totals as
     * they were. A write that does not grow the state always passes, even over a lowered limit.
     */
    private void reserve(String key, int moreEntries, long moreBytes) {
        StateLimits l = limits;
        if (moreEntries > 0 && !tryAdd(count, moreEntries, l.maxEntries())) {
            refusals.incrementAndGet();
            throw StateLimits.refused("maxEntries", "cannot add " + StateKeys.quote(key) + ": the state holds "
                    + count.get() + " entries, its maxEntries is " + l.maxEntries());
        }
        if (moreBytes > 0 && !tryAdd(bytes, moreBytes, l.maxBytes())) {
            count.addAndGet(-moreEntries);
            refusals.incrementAndGet();
            throw StateLimits.refused("maxBytes", "cannot write " + StateKeys.quote(key) + " ("
                    + StateLimits.bytes(moreBytes) + " more): the state holds " + StateLimits.bytes(bytes.get())
                    + ", its maxBytes is " + StateLimits.bytes(l.maxBytes()));
        }
        if (moreBytes <= 0) {
            bytes.addAndGet(moreBytes);
        }
    }

    /** Adds {@code delta} unless the total would pass {@code max}; exact under concurrent writers. */
    private static boolean tryAdd(AtomicLong total, long delta, long max) {
        while (true) {
            long current = total.get();
            if (current + delta > max) {
                return false;
            }
            if (total.compareAndSet(current, current + delta)) {
                return true;
            }
        }
    }
}
