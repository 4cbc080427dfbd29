package org.edgegate.modbus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The bytes the port received, filled by the bus's reader thread and taken by its owner thread with exact
 * deadlines (a port's own read blocks for up to a fraction of a second), with the time of the last byte for
 * the RTU silence. Bounded: beyond {@value #CAPACITY} unread bytes (noise on the line) the oldest go.
 */
final class Incoming {
    static final int CAPACITY = 4096;

    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int size;
    private long lastByteNanos = System.nanoTime();
    private IOException lost;

    /** The reader thread's loop: reads until the stream ends or fails (recorded) or {@code running} is false. */
    void pump(InputStream in, java.util.function.BooleanSupplier running) {
        byte[] buf = new byte[512];
        try {
            while (running.getAsBoolean()) {
                int n;
                try {
                    n = in.read(buf, 0, buf.length);
                } catch (InterruptedIOException timeout) {
                    continue;
                }
                if (n < 0) {
                    lost(new IOException("device gone (end of stream)"));
                    return;
                }
                if (n > 0) {
                    add(buf, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            lost(new IOException("read failed: " + e.getMessage(), e));
        }
    }

    synchronized void add(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (size == CAPACITY) {
                head = (head + 1) % CAPACITY;
                size--;
            }
            ring[(head + size) % CAPACITY] = b[i];
            size++;
        }
        lastByteNanos = System.nanoTime();
        notifyAll();
    }

    synchronized void lost(IOException e) {
        if (lost == null) {
            lost = e;
        }
        notifyAll();
    }

    /** The next byte (0-255), or -1 when none came before {@code deadlineNanos}; throws once the port is lost. */
    synchronized int next(long deadlineNanos) throws IOException {
        while (size == 0) {
            if (lost != null) {
                throw lost;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            try {
                wait(Math.max(1, left / 1_000_000), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        int b = ring[head] & 0xFF;
        head = (head + 1) % CAPACITY;
        size--;
        return b;
    }

    /** Drops the unread bytes; returns how many. */
    synchronized int discard() throws IOException {
        if (lost != null) {
            throw lost;
        }
        int n = size;
        size = 0;
        return n;
    }

    synchronized long lastByteNanos() {
        return lastByteNanos;
    }
}
