package org.edgegate.http.internal;

import java.io.IOException;
import java.time.Instant;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * One MJPEG client. Non-blocking: it holds no thread while it waits for a frame or for the client to
 * take bytes. It keeps at most one waiting frame: a newer frame replaces it (counted as skipped), so a slow
 * client sees fewer frames and never a queue. Writes run on whichever thread offers a frame or is told by
 * the container that the client can take more, one at a time (this object's lock).
 */
final class StreamClient implements WriteListener, AsyncListener {
    /** Called once when the client has gone, whatever the reason. */
    interface Gone {
        void gone(StreamClient client);
    }

    final String cameraId;
    final String remote;
    final double fpsCap;
    final Instant since = Instant.now();
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final long intervalNanos;
    private final Gone gone;

    private Part waiting;
    private Part current;
    /** 0 the stream's preamble, then of {@link #current}: 1 its bytes, 2 flush, 3 done. */
    private int step;
    private long nextDue;
    private boolean closed;
    /** The container has called onWritePossible: the output is non-blocking, isReady() means something. */
    private boolean writable;
    private volatile long sent;
    private volatile long skipped;
    private volatile long lastSequence = -1;

    StreamClient(String cameraId, String remote, double fpsCap, AsyncContext async, ServletOutputStream out, Gone gone) {
        this.cameraId = cameraId;
        this.remote = remote;
        this.fpsCap = fpsCap;
        this.async = async;
        this.out = out;
        this.intervalNanos = fpsCap > 0 ? (long) (1e9 / fpsCap) : 0;
        this.gone = gone;
    }

    /** Starts writing once the container says the client can take bytes. */
    void start() {
        async.addListener(this);
        out.setWriteListener(this);
    }

    /** Hands the client the newest frame; a frame still waiting is replaced. */
    void offer(Part part) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waiting != null) {
                skipped++;
            }
            waiting = part;
        }
        pump();
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            writable = true;
        }
        pump();
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    private void pump() {
        synchronized (this) {
            try {
                // before the go-ahead a write would block the frame-delivery thread: the frame waits instead
                while (!closed && writable && out.isReady()) {
                    switch (step) {
                        case 0 -> {
                            out.write(Part.PREAMBLE);        // goes out with the first frame
                            step = 3;
                            continue;
                        }
                        case 1 -> {
                            out.write(current.bytes());
                            sent++;                          // counted once the container has taken all of it
                            lastSequence = current.sequence();
                        }
                        case 2 -> out.flush();
                        default -> {
                            if (!next()) {
                                return;
                            }
                            continue;
                        }
                    }
                    step++;
                }
                return;
            } catch (IOException | RuntimeException e) {
                // the client went away (or the container refused the write): release it below
            }
        }
        close();
    }

    /** Takes the waiting frame as the current one when it is due; false when there is nothing to send. */
    private boolean next() {
        Part p = waiting;
        if (p == null) {
            return false;
        }
        long now = System.nanoTime();
        if (intervalNanos > 0) {
            if (nextDue != 0 && now - nextDue < 0) {
                return false;                              // over the ?fps cap: a later frame goes instead
            }
            nextDue = (nextDue == 0 || now - nextDue > intervalNanos) ? now + intervalNanos : nextDue + intervalNanos;
        }
        waiting = null;
        current = p;
        step = 1;
        return true;
    }

    /** Ends the response and releases the client; safe to call more than once, from any thread. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = null;
        }
        try {
            async.complete();
        } catch (RuntimeException e) {
            // already completed or the connection is gone
        }
        gone.gone(this);
    }

    long sent() {
        return sent;
    }

    long skipped() {
        return skipped;
    }

    long lastSequence() {
        return lastSequence;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
