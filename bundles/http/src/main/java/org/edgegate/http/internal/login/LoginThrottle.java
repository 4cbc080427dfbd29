package org.edgegate.http.internal.login;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per client address: each address may fail {@value #BURST} times at once, then once per
 * {@value #REFILL_MS} ms (a token bucket), so a password is not guessed at the server's speed while a
 * person who mistypes is never held up. An address whose bucket is empty is held back: its requests with
 * credentials are refused before any password is compared. What is logged is rate-limited too: the first
 * failure of an address at once, then at most one summary per address and minute, and at most
 * {@value #LINES_PER_MINUTE} lines a minute in all. At most {@value #ADDRESSES} addresses are remembered
 * (the longest unused forgotten first), so many addresses cannot fill the memory. Time is given by the
 * caller (milliseconds of any monotonic clock).
 */
final class LoginThrottle {
    static final int BURST = 20;
    static final long REFILL_MS = 1000;
    static final int ADDRESSES = 4096;
    static final int LINES_PER_MINUTE = 20;
    private static final long MINUTE = 60_000;

    /** One address: its bucket and what was not logged yet. */
    private static final class Entry {
        double tokens = BURST;
        long refilled;
        long failed;                 // since the last line about it
        long heldBack;               // since the last line about it
        long loggedAt = Long.MIN_VALUE / 2;
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > ADDRESSES;
        }
    };
    private long minuteStart;
    private int linesThisMinute;
    private long failedTotal;
    private long heldBackTotal;

    /** Milliseconds this address must wait before its credentials are looked at again; 0: go ahead. */
    synchronized long holdBack(String address, long now) {
        Entry e = entries.get(address);
        if (e == null) {
            return 0;
        }
        refill(e, now);
        if (e.tokens >= 1) {
            return 0;
        }
        e.heldBack++;
        heldBackTotal++;
        return Math.max(1, (long) Math.ceil((1 - e.tokens) * REFILL_MS));
    }

    /**
     * A failed login from this address; returns the line to log about it now, or null when that would
     * be more than the limits allow (it is then counted into the next line).
     */
    synchronized String failed(String address, String what, long now) {
        Entry e = entries.computeIfAbsent(address, a -> {
            Entry n = new Entry();
            n.refilled = now;
            return n;
        });
        refill(e, now);
        e.tokens = Math.max(0, e.tokens - 1);
        e.failed++;
        failedTotal++;
        if (now - e.loggedAt < MINUTE) {
            return null;
        }
        if (now - minuteStart >= MINUTE) {
            minuteStart = now;
            linesThisMinute = 0;
        }
        if (linesThisMinute >= LINES_PER_MINUTE) {
            return null;
        }
        linesThisMinute++;
        String line = "failed login from " + address + " (" + what + ")"
                + (e.failed > 1 ? "; " + e.failed + " failed" : "")
                + (e.heldBack > 0 ? ", " + e.heldBack + " held back" : "")
                + (e.failed > 1 || e.heldBack > 0 ? " from this address since the last line" : "")
                + (e.tokens < 1 ? "; its logins are now slowed to one per " + REFILL_MS + " ms" : "");
        e.failed = 0;
        e.heldBack = 0;
        e.loggedAt = now;
        return line;
    }

    synchronized long failedTotal() {
        return failedTotal;
    }

    synchronized long heldBackTotal() {
        return heldBackTotal;
    }

    /** Addresses whose logins are slowed now. */
    synchronized int slowedAddresses(long now) {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.tokens + (now - e.refilled) / (double) REFILL_MS < 1) {
                n++;
            }
        }
        return n;
    }

    private static void refill(Entry e, long now) {
        if (now > e.refilled) {
            e.tokens = Math.min(BURST, e.tokens + (now - e.refilled) / (double) REFILL_MS);
            e.refilled = now;
        }
    }
}
