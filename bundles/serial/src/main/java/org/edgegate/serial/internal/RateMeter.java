package org.edgegate.serial.internal;

/**
 * Lines per second over the last complete seconds (up to ten). Written by the reader thread only;
 * read by anyone, a slightly stale figure being fine.
 */
final class RateMeter {
    private static final int WINDOW = 10;
    private final long[] second = new long[WINDOW + 1];
    private final long[] count = new long[WINDOW + 1];
    private final long startSecond;

    RateMeter(long nowMs) {
        startSecond = nowMs / 1000;
        java.util.Arrays.fill(second, -1);
    }

    void mark(long nowMs) {
        long s = nowMs / 1000;
        int i = (int) (s % second.length);
        if (second[i] != s) {
            count[i] = 0;
            second[i] = s;
        }
        count[i]++;
    }

    double perSecond(long nowMs) {
        long now = nowMs / 1000;
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
