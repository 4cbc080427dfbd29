package org.edgegate.state.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.LatestValueDispatcher;

/**
 * Delivers changes to listeners through the kernel's latest-value dispatcher: a direct listener on the
 * writer's thread (no thread woken), the others off it, each with at most one waiting change per key (a
 * newer change replaces the waiting one), drained by one task at a time, so a listener sees changes in
 * order and a slow listener holds memory bounded by the number of keys, never a growing queue.
 */
final class ListenerDispatcher {
    private final LatestValueDispatcher<String, StateChange> dispatcher;
    private final Map<StateListener, LatestValueDispatcher<String, StateChange>.Subscription> subscriptions =
            new ConcurrentHashMap<>();

    ListenerDispatcher(Executor executor, BiConsumer<String, Throwable> errorLog) {
        ConnectorLog log = ConnectorLog.of((f, a) -> { },
                (f, a) -> errorLog.accept(ConnectorLog.format(f, a), ConnectorLog.cause(a)), (f, a) -> { });
        this.dispatcher = new LatestValueDispatcher<>(executor, StateChange::key, log);
    }

    /** {@code direct}: called on the writer's thread, holding the key (the listener only queues the change). */
    void add(StateListener listener, List<String> prefixes, boolean direct) {
        List<String> p = List.copyOf(prefixes);
        subscriptions.put(listener, dispatcher.subscribe("state listener " + listener.getClass().getName(),
                key -> p.isEmpty() || p.stream().anyMatch(key::startsWith), listener::stateChanged, direct));
    }

    void remove(StateListener listener) {
        var s = subscriptions.remove(listener);
        if (s != null) {
            s.cancel();
        }
    }

    /** Called with the key held by the writer: quick, and never blocks on a pooled listener. */
    void dispatch(StateChange change) {
        dispatcher.publish(change);
    }
}
