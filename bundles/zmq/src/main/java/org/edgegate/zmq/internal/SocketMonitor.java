package org.edgegate.zmq.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Where a socket's monitor events are read: a PAIR socket on an inproc address of the same context. */
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
}
