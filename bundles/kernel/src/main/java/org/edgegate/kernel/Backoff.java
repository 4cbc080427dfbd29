package org.edgegate.kernel;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retry delays: the first, then doubling up to a maximum, back to the first after {@link #reset()}. Each
 * delay is shortened by a random part of up to {@code jitter} (0.2: 80–100 % of the nominal delay), so
 * connectors that lost the same peer at once do not all come back at the same instant.
 * Used by one thread at a time.
 */
public final class Backoff {
    /** The share of a delay that is random by default. */
    public static final double DEFAULT_JITTER = 0.2;

    private final long first;
    private final long max;
    private final double jitter;
    private final DoubleSupplier random;
    private long current;

    public Backoff(long firstMillis, long maxMillis) {
        this(firstMillis, maxMillis, DEFAULT_JITTER, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} yields values in [0, 1); tests pass a fixed one. */
    public Backoff(long firstMillis, long maxMillis, double jitter, DoubleSupplier random) {
        if (firstMillis < 1 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("back-off needs 1 <= first <= max, got first " + firstMillis
                    + " ms, max " + maxMillis + " ms");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        this.first = firstMillis;
        this.max = maxMillis;
        this.jitter = jitter;
        this.random = random;
        this.current = firstMillis;
    }

    /** The delay to wait now; the next one doubles (up to the maximum). */
    public long next() {
        long nominal = current;
        current = Math.min(max, current * 2);
        return Math.max(1, nominal - Math.round(nominal * jitter * random.getAsDouble()));
    }

    /** After a success: the next delay is the first again. */
    public void reset() {
        current = first;
    }

    public long first() {
        return first;
    }

    public long max() {
        return max;
    }
}
