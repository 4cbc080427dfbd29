package org.edgegate.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Delivers values (state changes, readings, frames) to listeners off the publisher's thread, the same way
 * everywhere: each subscription holds at most {@code depth} waiting values per key (a state key, a sensor
 * id, a camera id; depth 1 for the latest value only, as state changes and frames use); a newer value
 * beyond that pushes the oldest waiting one out (counted as dropped for that subscription), and one task at
 * a time drains it on the executor, keys in the order of their latest publications. So a slow listener
 * costs memory bounded by its number of keys times the depth, skips values instead of slowing anyone, sees
 * each key's values in order, and holds at most one executor thread. {@link #publish} never blocks and
 * never throws.
 *
 * <p>A <em>direct</em> subscription (a listener that only hands the value on to a queue of its own) is
 * called on the publisher's thread instead, so no thread wakes for it; one whose calls take longer than
 * {@value #SLOW_DIRECT_MILLIS} ms {@value #SLOW_DIRECT_CALLS} times and in more than
 * {@value #SLOW_DIRECT_PERCENT} % of its calls (after its first {@value #WARM_UP_CALLS}, while classes load)
 * and whose slow calls took more than {@value #SLOW_DIRECT_SHARE_PERCENT} % of a
 * {@value #SHARE_WINDOW_MILLIS} ms window, or one call longer than {@value #BLOCKED_DIRECT_MILLIS} ms, is moved
 * to the executor (logged): a listener that blocks slows its publisher a bounded time, one merely preempted
 * now and then on a busy machine (a few slow calls a second) stays.
 *
 * @param <K> what values coalesce by
 * @param <V> the value
 */
public final class LatestValueDispatcher<K, V> {

    /** A listener's side: takes one value. An exception is logged (rate-limited) and counted. */
    @FunctionalInterface
    public interface Target<V> {
        void deliver(V value) throws Exception;
    }

    /**
     * For values that hold resources (a frame's pooled pixels): {@link #retain} is called once per
     * subscription a value is offered to (false: the value is already gone, skip it) and {@link #release}
     * once it is delivered, replaced or cancelled.
     */
    public interface Retention<V> {
        boolean retain(V value);

        void release(V value);

        /** Values that hold nothing. */
        @SuppressWarnings("rawtypes")
        Retention NONE = new Retention() {
            @Override
            public boolean retain(Object value) {
                return true;
            }

            @Override
            public void release(Object value) {
            }
        };
    }

    /** Called for each value replaced before delivery (a frame's camera counts its drops). */
    @FunctionalInterface
    public interface DropListener<V> {
        void dropped(V value);
    }

    private static final long ERROR_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final int LOGGED_FAILURES = 10;
    static final long SLOW_DIRECT_MILLIS = 5;
    static final int SLOW_DIRECT_CALLS = 10;
    static final int SLOW_DIRECT_PERCENT = 1;
    static final int WARM_UP_CALLS = 200;
    static final long BLOCKED_DIRECT_MILLIS = 500;
    static final int SLOW_DIRECT_SHARE_PERCENT = 10;
    static final long SHARE_WINDOW_MILLIS = 2000;

    private final Executor executor;
    private final Function<V, K> keyOf;
    private final Retention<V> retention;
    private final DropListener<V> onDrop;
    private final ConnectorLog log;
    private final int depth;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile Predicate<V> directOk = v -> true;

    @SuppressWarnings("unchecked")
    public LatestValueDispatcher(Executor executor, Function<V, K> keyOf, ConnectorLog log) {
        this(executor, keyOf, 1, Retention.NONE, v -> { }, log);
    }

    /** Keeps up to {@code depth} waiting values per key (readings: a burst of lines reaches a listener whole). */
    @SuppressWarnings("unchecked")
    public LatestValueDispatcher(Executor executor, Function<V, K> keyOf, int depth, ConnectorLog log) {
        this(executor, keyOf, depth, Retention.NONE, v -> { }, log);
    }

    public LatestValueDispatcher(Executor executor, Function<V, K> keyOf, Retention<V> retention,
            DropListener<V> onDrop, ConnectorLog log) {
        this(executor, keyOf, 1, retention, onDrop, log);
    }

    public LatestValueDispatcher(Executor executor, Function<V, K> keyOf, int depth, Retention<V> retention,
            DropListener<V> onDrop, ConnectorLog log) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        }
        this.depth = depth;
        this.executor = executor;
        this.keyOf = keyOf;
        this.retention = retention;
        this.onDrop = onDrop;
        this.log = log;
    }

    /**
     * Adds a listener. {@code name} appears in log lines; {@code wants} filters by key (its result may
     * change later: it is asked at every publication).
     */
    public Subscription subscribe(String name, Predicate<K> wants, Target<V> target) {
        return subscribe(name, wants, target, false);
    }

    /** As {@link #subscribe(String, Predicate, Target)}; {@code direct}: called on the publisher's thread. */
    public Subscription subscribe(String name, Predicate<K> wants, Target<V> target, boolean direct) {
        Subscription s = new Subscription(name, wants, target, direct);
        subscriptions.add(s);
        return s;
    }

    /**
     * Which values may go to direct subscriptions on the publisher's thread (default: all); the others go
     * through the executor (a frame that still needs encoding is not encoded on the capture thread).
     */
    public LatestValueDispatcher<K, V> directWhen(Predicate<V> ok) {
        this.directOk = ok;
        return this;
    }

    /** Offers a value to every subscription that wants its key; the caller keeps its own reference. */
    public void publish(V value) {
        K key = keyOf.apply(value);
        Boolean direct = null;
        for (Subscription s : subscriptions) {
            if (s.wants.test(key)) {
                if (s.direct && (direct != null ? direct : (direct = directOk.test(value)))) {
                    s.deliverNow(value);
                } else {
                    s.offer(key, value);
                }
            }
        }
    }

    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    /** Cancels every subscription. */
    public void close() {
        for (Subscription s : subscriptions) {
            s.cancel();
        }
    }

    /** One listener's queue: at most {@code depth} values per key. */
    public final class Subscription implements Runnable {
        private final String name;
        private final Predicate<K> wants;
        private final Target<V> target;
        private final LinkedHashMap<K, ArrayDeque<V>> pending = new LinkedHashMap<>();
        private int waiting;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private boolean scheduled;
        private volatile boolean cancelled;
        private long lastErrorLog;
        private volatile boolean direct;
        private final AtomicInteger slowCalls = new AtomicInteger();
        /** Time spent in slow calls since {@link #windowStart}: what a slow listener took from its publishers. */
        private final AtomicLong slowNanosInWindow = new AtomicLong();
        private volatile long windowStart = System.nanoTime();

        private Subscription(String name, Predicate<K> wants, Target<V> target, boolean direct) {
            this.name = name;
            this.wants = wants;
            this.target = target;
            this.direct = direct;
        }

        /** Whether values are delivered on the publisher's thread (false once found slow). */
        public boolean direct() {
            return direct;
        }

        public String name() {
            return name;
        }

        public long delivered() {
            return delivered.get();
        }

        /** Values replaced by a newer one of the same key before this listener took them. */
        public long dropped() {
            return dropped.get();
        }

        public long failures() {
            return failures.get();
        }

        /** Values waiting now (at most depth per key). */
        public synchronized int waiting() {
            return waiting;
        }

        /** Stops deliveries; waiting values are released. A delivery under way finishes. */
        public void cancel() {
            subscriptions.remove(this);
            List<V> left;
            synchronized (this) {
                cancelled = true;
                left = takeAll();
            }
            left.forEach(retention::release);
        }

        /** On the publisher's thread; the publisher holds the value meanwhile. */
        private void deliverNow(V value) {
            if (isCancelled()) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                target.deliver(value);
                delivered.incrementAndGet();
            } catch (Exception | LinkageError e) {
                failed(e);
            }
            long took = System.nanoTime() - t0;
            if (took > SLOW_DIRECT_MILLIS * 1_000_000L) {
                // wall time: a busy machine preempts the odd quick call too, so only a share of slow calls
                // counts, and the first calls (classes loading, code compiling) only when they block outright;
                // and only what slow calls take from the publisher in a window, not how many there were
                long calls = delivered.get() + failures.get();
                int slow = calls > WARM_UP_CALLS ? slowCalls.incrementAndGet() : 0;
                long now = t0 + took;
                if (now - windowStart > SHARE_WINDOW_MILLIS * 1_000_000L) {
                    windowStart = now;
                    slowNanosInWindow.set(0);
                }
                long slowNanos = slow > 0 ? slowNanosInWindow.addAndGet(took) : 0;
                if (direct && (took > BLOCKED_DIRECT_MILLIS * 1_000_000L
                        || slow >= SLOW_DIRECT_CALLS && slow * 100L > calls * SLOW_DIRECT_PERCENT
                        && slowNanos * 100 > SHARE_WINDOW_MILLIS * 1_000_000L * SLOW_DIRECT_SHARE_PERCENT)) {
                    direct = false;
                    log.warn("listener {} took {} ms on the publisher's thread ({} of {} calls over {} ms, {} ms of"
                            + " them within {} ms): it is called on a delivery thread of its own from now on", name,
                            took / 1_000_000, slow, calls, SLOW_DIRECT_MILLIS, slowNanos / 1_000_000,
                            SHARE_WINDOW_MILLIS);
                }
            }
        }

        private void offer(K key, V value) {
            if (!retention.retain(value)) {
                return;
            }
            V replaced;
            synchronized (this) {
                if (cancelled) {
                    replaced = value;
                } else {
                    // remove first so the key moves to the end: delivery follows the latest publications
                    ArrayDeque<V> values = pending.remove(key);
                    if (values == null) {
                        values = new ArrayDeque<>(Math.min(depth, 16));
                    }
                    values.addLast(value);
                    waiting++;
                    replaced = null;
                    if (values.size() > depth) {
                        replaced = values.removeFirst();
                        waiting--;
                    }
                    pending.put(key, values);
                    if (!scheduled) {
                        scheduled = true;
                        submit();
                    }
                }
            }
            if (replaced != null) {
                if (replaced != value) {
                    dropped.incrementAndGet();
                    onDrop.dropped(replaced);
                }
                retention.release(replaced);
            }
        }

        @Override
        public void run() {
            List<V> batch;
            synchronized (this) {
                batch = takeAll();
            }
            for (int i = 0; i < batch.size(); i++) {
                V value = batch.get(i);
                try {
                    if (!isCancelled()) {
                        target.deliver(value);
                        delivered.incrementAndGet();
                    }
                } catch (Exception | LinkageError e) {
                    failed(e);
                } finally {
                    retention.release(value);
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

        /** Called holding this: a publisher must never see an exception from a stopping executor. */
        private void submit() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException stopping) {
                scheduled = false;
                takeAll().forEach(retention::release);
            }
        }

        /** Called holding this: every waiting value, keys in order, each key's values in order. */
        private List<V> takeAll() {
            List<V> all = new ArrayList<>(waiting);
            pending.values().forEach(all::addAll);
            pending.clear();
            waiting = 0;
            return all;
        }

        private boolean isCancelled() {
            return cancelled;
        }

        private void failed(Throwable e) {
            long n = failures.incrementAndGet();
            long now = System.nanoTime();
            synchronized (this) {
                // the first few failures each, then at most one line per interval (a listener failing at 25 fps)
                if (n > LOGGED_FAILURES && now - lastErrorLog < ERROR_LOG_INTERVAL_NANOS) {
                    return;
                }
                lastErrorLog = now;
            }
            log.warn("listener {} failed ({} failures so far)", name, n, e);
        }
    }
}
