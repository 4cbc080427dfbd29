package org.edgegate.zmq.internal.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Wakes an endpoint's thread from its poll. ZeroMQ sockets may only be touched by the thread that owns
 * them, so producers cannot write to them; a byte in this pipe, polled next to the sockets, tells the
 * thread there is work instead.
 */
public final class WakePipe implements AutoCloseable {
    private final Pipe pipe;

    public WakePipe() throws IOException {
        pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        pipe.source().configureBlocking(false);
    }

    /** The end to register with a ZeroMQ poller. */
    Pipe.SourceChannel source() {
        return pipe.source();
    }

    /** Any thread; never waits. */
    public void wake() {
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
        } catch (IOException closedOrFull) {
            // a full pipe already wakes the thread; a closed one belongs to a stopped endpoint
        }
    }

    /** Consumes every wake-up byte written so far. */
    public void drain() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (pipe.source().read(buf) > 0) {
                buf.clear();
            }
        } catch (IOException e) {
            // closed while stopping
        }
    }

    @Override
    public void close() {
        try {
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
