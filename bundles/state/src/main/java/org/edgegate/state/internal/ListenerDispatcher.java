package org.edgegate.state.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateListener;

/**
 * Delivers changes to listeners off the writer's thread. Each listener has a pending map of at most
 * one change per key (a newer change replaces the waiting one), drained by one task at a time, so a
 * listener sees changes in order and a slow listener holds memory bounded by the number of keys,
 * never a growing queue.
 */
final class ListenerDispatcher {
    private final Map<StateListener, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Executor executor;
    private final BiConsumer<String, Throwable> errorLog;

    ListenerDispatcher(Executor executor, BiConsumer<String, Throwable> errorLog) {
        this.executor = executor;
        this.errorLog = errorLog;
    }

    void add(StateListener listener, List<String> prefixes) {
        subscriptions.put(listener, new Subscription(listener, prefixes));
    }

    void remove(StateListener listener) {
        Subscription s = subscriptions.remove(listener);
        if (s != null) {
            s.cancel();
        }
    }

    /** Called with the key held by the writer: must be quick and must never block on a listener. */
    void dispatch(StateChange change) {
        for (Subscription s : subscriptions.values()) {
            if (s.wants(change.key())) {
                s.offer(change);
            }
        }
    }

    private final class Subscription implements Runnable {
        private final StateListener listener;
        private final List<String> prefixes;
        private final LinkedHashMap<String, StateChange> pending = new LinkedHashMap<>();
        private boolean scheduled;
        private boolean cancelled;

        Subscription(StateListener listener, List<String> prefixes) {
            this.listener = listener;
            this.prefixes = List.copyOf(prefixes);
        }

        boolean wants(String key) {
            if (prefixes.isEmpty()) {
                return true;
            }
            for (String p : prefixes) {
                if (key.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        synchronized void offer(StateChange change) {
            if (cancelled) {
                return;
            }
            // remove first so the key moves to the end: delivery follows the order of the latest writes
            pending.remove(change.key());
            pending.put(change.key(), change);
            if (!scheduled) {
                scheduled = true;
                submit();
            }
        }

        synchronized void cancel() {
            cancelled = true;
            pending.clear();
        }

        @Override
        public void run() {
            List<StateChange> batch;
            synchronized (this) {
                batch = new ArrayList<>(pending.values());
                pending.clear();
            }
            for (StateChange change : batch) {
                if (isCancelled()) {
                    break;
                }
                try {
                    listener.stateChanged(change);
                } catch (RuntimeException | LinkageError e) {
                    errorLog.accept("state listener " + listener.getClass().getName() + " failed on "
                            + change.key(), e);
                }
            }
            synchronized (this) {
                // resubmit instead of looping, so one busy listener does not keep a thread from the others
                if (!pending.isEmpty() && !cancelled) {
                    submit();
                } else {
                    scheduled = false;
                }
            }
        }

        /** Called holding this: a writer must never see an exception from a stopping executor. */
        private void submit() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException stopping) {
                scheduled = false;
                pending.clear();
            }
        }

        private synchronized boolean isCancelled() {
            return cancelled;
        }
    }
}
