package org.edgegate.kernel;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter with its rate: events per second over the last complete seconds (up to ten). Any thread may
 * mark it; reading is cheap and a slightly stale figure is fine.
 */
public final class Meter {
    private static final int WINDOW = 10;

    private final LongAdder total = new LongAdder();
    private final long[] second = new long[WINDOW + 1];
    private final long[] count = new long[WINDOW + 1];
    private final long startSecond;
    private final Clock clock;

    /** Milliseconds since the epoch; tests pass their own. */
    public interface Clock {
        long millis();
    }

    public Meter() {
        this(System::currentTimeMillis);
    }

    public Meter(Clock clock) {
        this.clock = clock;
        this.startSecond = clock.millis() / 1000;
        Arrays.fill(second, -1);
    }

    public void mark() {
        mark(1);
    }

    public void mark(long n) {
        total.add(n);
        long s = clock.millis() / 1000;
        int i = (int) (s % second.length);
        synchronized (this) {
            if (second[i] != s) {
                count[i] = 0;
                second[i] = s;
            }
            count[i] += n;
        }
    }

    public long count() {
        return total.sum();
    }

    /** Events per second over the last complete seconds (at most ten, at least one). */
    public synchronized double perSecond() {
        long now = clock.millis() / 1000;
        long from = Math.max(startSecond, now - WINDOW);
        if (now <= from) {
            return 0;
        }
        long sum = 0;
        for (int i = 0; i < second.length; i++) {
            if (second[i] >= from && second[i] < now) {
                sum += count[i];
            }
        }
        return (double) sum / (now - from);
    }
}
