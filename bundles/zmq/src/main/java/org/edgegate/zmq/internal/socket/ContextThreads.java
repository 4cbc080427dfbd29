package org.edgegate.zmq.internal.socket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.kernel.Threads;

import zmq.poll.Poller;

/**
 * The threads of one ZeroMQ context (its I/O thread and its reaper), made by the context's thread factory
 * and watched. JeroMQ's poller loop catches only RuntimeExceptions: an Error (an {@code OutOfMemoryError}
 * from a direct buffer, as in issue 18) ends the thread, and with the I/O thread every connection of the
 * context stops while its sockets still accept messages. Here such an end is caught, remembered and
 * reported at once through {@code wake}, so the endpoint's thread notices it in its next poll.
 *
 * <p>A dead thread's selector is never closed by JeroMQ, and a channel registered with a selector that is
 * never closed stays open even after {@code close()} (the JDK finishes closing it when it leaves the
 * selector): the port would stay bound. {@link #releaseDead()} closes those selectors.
 */
final class ContextThreads {
    private final String prefix;
    private final Runnable wake;
    /** Each thread and what it runs (a JeroMQ {@link Poller}: the I/O thread's or the reaper's). */
    private final Map<Thread, Runnable> threads = new ConcurrentHashMap<>();
    private volatile String failure;
    private volatile boolean closing;

    /**
     * @param prefix names the threads ({@code edgegate-zmq-<id>-iothread-2})
     * @param wake   called on the dying thread after a failure was recorded
     */
    ContextThreads(String prefix, Runnable wake) {
        this.prefix = prefix;
        this.wake = wake;
    }

    /** The context's thread factory ({@code ZContext.setThreadFactor}). */
    Thread newThread(Runnable target, String name) {
        String fullName = prefix + "-" + name;
        Thread t = new Thread(() -> {
            try {
                BatchScheduling.applyToCurrentThread(); // off Linux or without JNA it runs as before
                target.run();
            } catch (Throwable e) { // an Error ends JeroMQ's thread: report it instead of dying unheard
                died(fullName, e);
            }
        }, fullName);
        t.setDaemon(true);
        threads.put(t, target);
        return t;
    }

    private void died(String name, Throwable e) {
        if (failure == null) {
            failure = "JeroMQ thread " + name + " died: " + e;
        }
        wake.run();
    }

    /** The context is being closed: its threads end now, and that is no failure. */
    void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** Why the context no longer works (a thread died or ended before the context was closed), or null. */
    String failure() {
        if (failure != null) {
            return failure;
        }
        if (!closing) {
            for (Thread t : threads.keySet()) {
                if (t.getState() == Thread.State.TERMINATED) {
                    return "JeroMQ thread " + t.getName() + " ended while the endpoint was open";
                }
            }
        }
        return null;
    }

    /**
     * Closes the selector of every poller whose thread is dead, so the channels closed while registered with
     * it are really closed and their ports free. {@code Poller.destroy()} is the only way in: it waits for
     * the poller's loop to end, which a dead thread never signals, so it is interrupted (JeroMQ prints that
     * InterruptedException) and closes the selector in its {@code finally}.
     */
    void releaseDead() {
        threads.forEach((t, target) -> {
            if (t.getState() == Thread.State.TERMINATED && target instanceof Poller poller) {
                Thread closer = new Thread(poller::destroy, t.getName() + "-release");
                closer.setDaemon(true);
                closer.start();
                closer.interrupt();
                Threads.join(closer, 1_000);
            }
        });
    }
}
