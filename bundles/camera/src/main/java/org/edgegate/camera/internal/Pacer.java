package org.edgegate.camera.internal;

/**
 * Spaces reads at a fixed rate. A reader that falls behind by more than one period starts a new schedule
 * instead of catching up in a burst.
 */
final class Pacer {
    private final long period;
    private long next;

    /** {@code fps} 0 or less: no pacing. */
    Pacer(double fps) {
        this.period = fps > 0 ? Math.round(1e9 / fps) : 0;
    }

    /** How long to wait before the next read, given the monotonic time now. */
    long waitNanos(long now) {
        if (period == 0) {
            return 0;
        }
        if (next == 0 || now - next > period) {
            next = now + period;
            return 0;
        }
        long wait = next - now;
        next += period;
        return Math.max(0, wait);
    }
}
