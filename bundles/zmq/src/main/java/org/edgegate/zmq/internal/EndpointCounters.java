package org.edgegate.zmq.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.transport.EndpointStatistics;

/** What an endpoint counts for gw:endpoints: written by its thread (and producers, for drops), read by any. */
final class EndpointCounters {
    private final AtomicLong sent = new AtomicLong();
    /** Shared with the {@link Outbox}, which drops what no socket took in time. */
    final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String lastError = "";

    /** A message of {@code size} bytes was handed to ZeroMQ. */
    void sent(long size) {
        sent.incrementAndGet();
        bytes.addAndGet(size);
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    /** Counts an error and keeps its message as the last one. */
    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    EndpointStatistics statistics() {
        return new EndpointStatistics(sent.get(), dropped.get(), errors.get(), lastError);
    }

    long bytesSent() {
        return bytes.get();
    }
}
