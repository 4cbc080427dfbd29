package org.edgegate.zmq.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateKeys;
import org.edgegate.api.state.StateService;

/** A test-only state service in memory, following the API's contract (versions rise on every write). */
public final class MemoryState implements StateService {
    private final TreeMap<String, StateEntry> entries = new TreeMap<>();
    private long version;

    @Override
    public synchronized Optional<StateEntry> get(String key) {
        return Optional.ofNullable(entries.get(StateKeys.check(key)));
    }

    @Override
    public synchronized StateEntry put(String key, Object value) {
        StateEntry e = new StateEntry(key, value, ++version, System.currentTimeMillis());
        entries.put(key, e);
        return e;
    }

    @Override
    public synchronized CasResult compareAndSet(String key, long expectedVersion, Object value) {
        StateEntry cur = entries.get(StateKeys.check(key));
        long v = cur == null ? 0 : cur.version();
        if (v != expectedVersion) {
            return new CasResult(false, cur);
        }
        return new CasResult(true, put(key, value));
    }

    @Override
    public synchronized Optional<StateEntry> compute(String key, UnaryOperator<Object> remap) {
        StateEntry cur = entries.get(key);
        Object v = remap.apply(cur == null ? null : cur.value());
        if (v == null) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(put(key, v));
    }

    @Override
    public synchronized Optional<StateEntry> remove(String key) {
        version++;
        return Optional.ofNullable(entries.remove(StateKeys.check(key)));
    }

    @Override
    public synchronized List<StateEntry> snapshot(String prefix) {
        List<StateEntry> out = new ArrayList<>();
        for (StateEntry e : entries.values()) {
            if (e.key().startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }
}
