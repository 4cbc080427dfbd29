package org.edgegate.zmq.internal;

import java.util.HashMap;
import java.util.Map;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Rescues the TCP connections of a <em>connecting</em> JeroMQ 0.6 socket that its I/O thread forgot.
 *
 * <p>JeroMQ's poller sometimes never registers a freshly connected socket channel with its selector: the
 * connecter's handle for the channel is cancelled and the engine's handle for the same channel is added in
 * one round of the I/O thread (when the attach command is processed in the same round as the connect
 * event), and its pass over the handles then finds the cancelled key still attached to the channel and
 * skips the engine's handle. Nothing is read or written on that connection (not even the ZMTP greeting)
 * until another handle of the same I/O thread changes, or the handshake limit drops the connection. See
 * docs/zmq.md, "Notes for upstream". About 1 % of connects, so a subscriber is sometimes never served.
 *
 * <p>This watch listens to the socket's monitor: a connection that is established but has not finished its
 * greeting within {@link #KICK_MILLIS} gets its I/O thread nudged by binding and closing a throwaway
 * loopback listener in the same context, which makes the poller go over its handles again and register the
 * forgotten one. A nudge is harmless to a handshake that is merely slow. Accepting (bound) sockets do not
 * need it: an accepted channel is new to the poller. Owned by one thread, like the socket it watches; the
 * context must have one I/O thread (the nudge has to land in the socket's).
 */
final class HandshakeWatch implements AutoCloseable {
    /** A greeting over loopback takes a few milliseconds; nudging a slow one costs one bind and close. */
    static final long KICK_MILLIS = 100;

    private final ZMQ.Context context;
    private final ZMQ.Socket watched;
    private final ZMQ.Socket events;
    /** Connections established and not yet greeted: address -> when to nudge next (nanoTime). */
    private final Map<String, Long> waiting = new HashMap<>();
    private long kicks;
    private long dropsBeforeGreeting;

    HandshakeWatch(ZMQ.Context context, ZMQ.Socket socket) {
        this.context = context;
        this.watched = socket;
        events = SocketMonitor.open(context, socket, "handshake-watch", ZMQ.EVENT_CONNECTED
                | ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CLOSED);
    }

    /** The monitor's socket, to poll for input next to the watched one; then call {@link #check()}. */
    ZMQ.Socket events() {
        return events;
    }

    /**
     * Reads the monitor's events without waiting and nudges the I/O thread if a connection waits too long.
     *
     * @return milliseconds until it should be called again, or -1 while no connection waits for its greeting
     */
    long check() {
        ZMQ.Event e;
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            if (e.getEvent() == ZMQ.EVENT_CONNECTED) {
                waiting.put(e.getAddress(), System.nanoTime() + KICK_MILLIS * 1_000_000);
            } else if (waiting.remove(e.getAddress()) != null && e.getEvent() == ZMQ.EVENT_DISCONNECTED) {
                dropsBeforeGreeting++;
            }
        }
        if (waiting.isEmpty()) {
            return -1;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        boolean due = false;
        for (Map.Entry<String, Long> w : waiting.entrySet()) {
            if (now >= w.getValue()) {
                due = true;
                w.setValue(now + KICK_MILLIS * 1_000_000);
            }
            next = Math.min(next, w.getValue());
        }
        if (due) {
            kick();
        }
        return Math.max(1, (next - now) / 1_000_000);
    }

    /** How many times the I/O thread was nudged. */
    long kicks() {
        return kicks;
    }

    /** Connections that ended before their greeting, e.g. dropped by the handshake limit: 0 when all went well. */
    long dropsBeforeGreeting() {
        return dropsBeforeGreeting;
    }

    private void kick() {
        kicks++;
        try (ZMQ.Socket nudge = context.socket(SocketType.PAIR)) {
            nudge.setLinger(0);
            MessageLimits.apply(nudge, MessageLimits.PEER_BYTES); // bound for an instant, but bound
            nudge.bind("tcp://127.0.0.1:*");
        } catch (RuntimeException e) {
            // no loopback port to spare: the handshake limit still drops the connection in the end
        }
    }

    /** Stops watching; call before the watched socket is closed. */
    @Override
    public void close() {
        SocketMonitor.close(watched, events);
    }
}
