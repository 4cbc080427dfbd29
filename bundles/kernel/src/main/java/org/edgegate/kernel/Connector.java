package org.edgegate.kernel;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;

/**
 * One connector's life: its own thread opens the connection, works it until it is lost or the connector
 * stops, closes it and reopens with back-off. A protocol subclasses this and writes only
 * <pre>
 *   open()  – connect / open the device; throw when it cannot (the kernel retries with back-off)
 *   work()  – read, poll or send until {@link #running()} turns false (return) or the link is lost (throw)
 *   close() – release what open() took; called after every open() that succeeded
 * </pre>
 * and the kernel does the rest: the thread, {@link #stop(long)} with a deadline, back-off with jitter,
 * health ({@link #health()}, logged once per change), the count of {@link #reconnects()}.
 *
 * <p>Health as the kernel sets it: STARTING until the first open, OPEN after each successful open,
 * RECONNECTING with the reason and the delay when open fails or work is lost, STOPPED after stop. Throw
 * {@link Unavailable} from open or work to report another state (FAILED for a configuration that cannot
 * work) with its own delay. Call {@link #progress()} when the link carried data, so the next loss starts
 * again from the shortest delay. open, work and close all run on the connector's thread, so the
 * connection's fields need no locking.
 */
public abstract class Connector {
    private final String threadName;
    private final Backoff backoff;
    private final HealthTracker health;
    protected final ConnectorLog log;
    private final Object wake = new Object();
    private final long createdNanos = System.nanoTime();
    private volatile boolean running;
    private boolean kicked;
    private volatile Thread thread;
    private volatile long reconnects;
    private volatile String lastError = "";

    /**
     * @param threadName the thread's name, e.g. {@code edgegate-serial-th}
     * @param label      starts every log line of this connector, e.g. {@code sensor th (/dev/ttyUSB0)}
     */
    protected Connector(String threadName, String label, Backoff backoff, ConnectorLog log) {
        this.threadName = threadName;
        this.backoff = backoff;
        this.log = log;
        this.health = new HealthTracker(label, log);
    }

    /** Opens the connection. Any exception: RECONNECTING with its message, retried after the next delay. */
    protected abstract void open() throws Exception;

    /**
     * Works the open connection until {@link #running()} is false (then return) or it is lost (then throw:
     * the message says why). Returning while still running counts as lost too.
     */
    protected abstract void work() throws Exception;

    /** Releases what {@link #open()} took. Must not throw. */
    protected abstract void close();

    /** Called by {@link #stop} and {@link #kick} from another thread: unblock a poll or wait of work(). */
    protected void wakeUp() {
    }

    /**
     * Called from another thread when the connector's thread did not stop within the grace period, before
     * it is interrupted: take the resource away from under a blocked call (close a port or socket).
     */
    protected void abort() {
    }

    /**
     * Whether the process is exiting: a connection lost then was closed under the connector by a shutdown
     * hook (jSerialComm closes every port in its own) while the framework still stops the bundles, so the
     * connector ends quietly instead of reporting a failure and reopening. Tests override it.
     */
    protected boolean shuttingDown() {
        return Threads.jvmShuttingDown();
    }

    /**
     * Called on the connector's thread when a connection failed or was lost and the kernel is about to wait
     * {@code retryMillis} before the next attempt (after the health was set): for protocols that report the
     * loss somewhere else too.
     */
    protected void retrying(String reason, long retryMillis) {
    }

    /** Starts the thread; a second call does nothing. */
    public final synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::loop, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Stops: asks work() to return, waits up to {@code graceMillis}, then aborts and interrupts and waits
     * as long again. Returns true when the thread has ended (the connection is then closed).
     */
    public final synchronized boolean stop(long graceMillis) {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        running = false;
        kick();
        boolean ended = Threads.join(t, graceMillis);
        if (!ended) {
            log.warn("{} did not stop within {} ms; aborting it", threadName, graceMillis);
            abort();
            t.interrupt();
            ended = Threads.join(t, graceMillis);
            if (!ended) {
                log.warn("{} is still busy; it ends when its blocked call returns", threadName);
            }
        }
        thread = null;
        health.set(HealthState.STOPPED, "");
        return ended;
    }

    /** Ends a wait: a connector waiting to retry tries again now (something it waited for arrived). */
    public final void kick() {
        synchronized (wake) {
            kicked = true;
            wake.notifyAll();
        }
        wakeUp();
    }

    /** The connector's health; a protocol may override it to add a problem of its own (a missing parser). */
    public Health health() {
        return health.get();
    }

    /** Times the connection was opened again after the first time. */
    public final long reconnects() {
        return reconnects;
    }

    /** The last reason a connection failed or was lost, empty when there was none. */
    public final String lastError() {
        return lastError;
    }

    /** True while the thread runs (also while it waits to retry). */
    public final boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** False once stop was asked: work() returns, waits end. */
    protected final boolean running() {
        return running;
    }

    /** The connection carried data: the next loss waits the shortest delay again. */
    protected final void progress() {
        backoff.reset();
    }

    /** Reports a health of the protocol's own (e.g. OPEN with a reason) while the connection is up. */
    protected final void health(HealthState state, String reason) {
        health.set(state, reason);
    }

    /** True during the first {@code millis} after construction (services of the bundle still arriving). */
    protected final boolean startingFor(long millis) {
        return System.nanoTime() - createdNanos < millis * 1_000_000L;
    }

    /** Waits up to {@code millis}, less when stopped or kicked; returns {@link #running()}. */
    protected final boolean pause(long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        synchronized (wake) {
            while (running && !kicked) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    wake.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            kicked = false;
        }
        return running;
    }

    private void loop() {
        boolean everOpened = false;
        try {
            while (running) {
                try {
                    open();
                } catch (Unavailable u) {
                    if (!waitAfter(u)) {
                        break;
                    }
                    continue;
                } catch (Exception | LinkageError e) {
                    retry(message(e), "retry in ");
                    continue;
                }
                if (everOpened) {
                    reconnects++;
                }
                everOpened = true;
                health.set(HealthState.OPEN, "");
                String lost;
                Unavailable unavailable = null;
                try {
                    work();
                    lost = "connection ended";
                } catch (Unavailable u) {
                    unavailable = u;
                    lost = u.getMessage();
                } catch (Exception | LinkageError e) {
                    lost = message(e);
                } finally {
                    closeQuietly();
                }
                if (!running) {
                    break;
                }
                if (shuttingDown()) {
                    // not a failure: nothing to report, nothing to reopen; stop() finds the thread done
                    health.set(HealthState.STOPPED, "the gateway is shutting down");
                    log.debug("{}: {} while the gateway shuts down; ended", threadName, lost);
                    break;
                }
                if (unavailable != null) {
                    if (!waitAfter(unavailable)) {
                        break;
                    }
                } else {
                    retry(lost, "reopening in ");
                }
            }
        } catch (RuntimeException | Error e) {
            lastError = "stopped by an internal error: " + e;
            health.set(HealthState.FAILED, lastError);
            throw e;
        }
    }

    private void retry(String reason, String verb) {
        long delay = backoff.next();
        lastError = reason;
        health.set(HealthState.RECONNECTING, reason + "; " + verb + delay + " ms");
        retrying(reason, delay);
        pause(delay);
    }

    /** Returns false when the connector gives up (the thread ends). */
    private boolean waitAfter(Unavailable u) {
        lastError = u.getMessage();
        health.set(u.state(), u.getMessage());
        if (u.retryMillis() == Unavailable.NEVER) {
            return false;
        }
        pause(u.retryMillis() >= 0 ? u.retryMillis() : backoff.max());
        return true;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            log.debug("{}: close failed: {}", threadName, e.toString());
        }
    }

    /** The message of an exception, its class name when it has none. */
    public static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Thrown by open() or work() to report a state other than RECONNECTING: FAILED for a configuration that
     * cannot work until fixed, STARTING for a service of the bundle not registered yet. The connector waits
     * {@code retryMillis} (the back-off's maximum when negative) or until {@link #kick()}, then tries again;
     * with {@link #NEVER} it gives up and its thread ends (a configuration retrying cannot fix).
     */
    public static final class Unavailable extends Exception {
        /** retryMillis that ends the connector's thread instead of retrying. */
        public static final long NEVER = Long.MIN_VALUE;
        private static final long serialVersionUID = 1L;
        private final transient HealthState state;
        private final long retryMillis;

        public Unavailable(HealthState state, String reason, long retryMillis) {
            super(reason, null, false, false);
            this.state = state;
            this.retryMillis = retryMillis;
        }

        public Unavailable(HealthState state, String reason) {
            this(state, reason, -1);
        }

        public HealthState state() {
            return state;
        }

        public long retryMillis() {
            return retryMillis;
        }
    }
}
