package org.edgegate.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread helpers shared by connectors and dispatchers. */
public final class Threads {
    private Threads() {
    }

    /**
     * An executor for a {@link LatestValueDispatcher}: daemon threads named {@code prefix-N}, created on
     * demand (at most one per busy subscription, as a subscription runs one task at a time) and ended after
     * {@code idleSeconds} without work. Shut it down on deactivate.
     */
    public static ExecutorService pool(String prefix, int idleSeconds) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, idleSeconds, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Shuts an executor down and waits up to {@code millis} for running deliveries; true when all ended. */
    public static boolean shutdown(ExecutorService executor, long millis) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        return false;
    }

    /** Joins up to {@code millis}; true when the thread has ended. Keeps the interrupt flag. */
    public static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** Whether the JVM is running its shutdown hooks (no hook can be added then). */
    public static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }
}
