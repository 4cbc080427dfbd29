package org.edgegate.zmq.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Where a socket's monitor events are read: a PAIR socket on an inproc address of the same context.
 *
 * <p>JeroMQ writes each event to its end of that pair with a <em>blocking</em> send, on whichever thread
 * raises it, mostly the context's I/O thread. Once the reading end is closed that send has no peer and never
 * returns: the I/O thread hangs, and every socket of the context with it (a REQ endpoint reopened after a
 * silent hub never connected again). So the monitor is always stopped before its reader is closed:
 * {@link #close}.
 */
final class SocketMonitor {
    private static final AtomicLong IDS = new AtomicLong();

    private SocketMonitor() {
    }

    /**
     * Starts monitoring {@code events} ({@code ZMQ.EVENT_*}) of {@code socket} and returns the socket to read
     * them from with {@code ZMQ.Event.recv}; the caller closes it. Call before the socket binds or connects.
     */
    static ZMQ.Socket open(ZMQ.Context context, ZMQ.Socket socket, String name, int events) {
        String address = "inproc://edgegate-" + name + "-" + IDS.incrementAndGet();
        if (!socket.monitor(address, events)) {
            throw new IllegalStateException("cannot monitor the socket");
        }
        ZMQ.Socket reader = context.socket(SocketType.PAIR);
        reader.setLinger(0);
        reader.connect(address);
        return reader;
    }

    /**
     * Stops monitoring {@code socket}, then closes {@code reader}. The monitor is stopped under the socket's
     * own lock, which JeroMQ also holds while it writes an event, so no event is written after this; call it
     * while the socket is still open (its close raises events too).
     */
    static void close(ZMQ.Socket socket, ZMQ.Socket reader) {
        socket.monitor(null, 0);
        reader.close();
    }
}
