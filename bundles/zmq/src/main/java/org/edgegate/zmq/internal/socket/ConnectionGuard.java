package org.edgegate.zmq.internal.socket;

import org.edgegate.zmq.socket.SocketMonitor;
import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.zeromq.ZMQ;

/**
 * Watches a <em>binding</em> socket's connections through its monitor: bounds how many peers it serves at once
 * ({@code max.connections}; ZeroMQ has no such option) and knows the channels, so that a context whose I/O
 * thread died can still give its port back.
 *
 * <p>A connection over the bound is shut down (both directions) as soon as its ACCEPTED event is read: the I/O
 * thread then reads the end of the stream and closes it as it closes any lost connection. JeroMQ's monitor
 * hands the channels over ({@code ZMQ.Event#resolveValue}). Owned by the endpoint's thread, like the socket.
 */
final class ConnectionGuard implements AutoCloseable {
    private final ZMQ.Socket watched;
    private final ZMQ.Socket events;
    private final int max;
    private final Consumer<String> problems;
    private final List<SelectableChannel> listeners = new ArrayList<>();
    private final List<SocketChannel> open = new ArrayList<>();
    private long refused;

    /** Starts watching; call before the socket binds (its listening channel is announced then). */
    ConnectionGuard(ZMQ.Context context, ZMQ.Socket socket, int max, Consumer<String> problems) {
        this.max = max;
        this.problems = problems;
        this.watched = socket;
        events = SocketMonitor.open(context, socket, "connections", ZMQ.EVENT_LISTENING | ZMQ.EVENT_ACCEPTED
                | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CLOSED);
    }

    /** The monitor's socket, to poll for input next to the watched one; then call {@link #check()}. */
    ZMQ.Socket events() {
        return events;
    }

    /** Reads the monitor's events without waiting, refusing connections over the bound. */
    void check() {
        ZMQ.Event e;
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            Object channel = e.resolveValue();
            switch (e.getEvent()) {
                case ZMQ.EVENT_LISTENING -> {
                    if (channel instanceof SelectableChannel c) {
                        listeners.add(c);
                    }
                }
                case ZMQ.EVENT_ACCEPTED -> {
                    if (channel instanceof SocketChannel c) {
                        accepted(c);
                    }
                }
                default -> { // DISCONNECTED (a connection), CLOSED (the listener)
                    open.remove(channel);
                    listeners.remove(channel);
                }
            }
        }
    }

    private void accepted(SocketChannel c) {
        open.removeIf(o -> !o.isOpen());
        if (open.size() < max) {
            open.add(c);
            return;
        }
        refused++;
        problems.accept("refused a connection from " + remote(c) + ": " + max + " connections already (max.connections)");
        try {
            c.shutdownInput();
            c.shutdownOutput();
        } catch (IOException gone) {
            // closed meanwhile: nothing to refuse
        }
    }

    /** Connections served now (as last checked). */
    int connections() {
        return open.size();
    }

    /** Connections refused for being over the bound. */
    long refused() {
        return refused;
    }

    /**
     * Closes the listening and accepted channels itself: for a context whose I/O thread died, which would
     * otherwise hold the port (and its peers) for as long as the JVM runs. Works after {@link #close()}.
     */
    void release() {
        List<NetworkChannel> all = new ArrayList<>(open);
        for (SelectableChannel l : listeners) {
            if (l instanceof NetworkChannel n) {
                all.add(n);
            }
        }
        for (NetworkChannel c : all) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
        open.clear();
        listeners.clear();
    }

    private static String remote(SocketChannel c) {
        try {
            return String.valueOf(c.getRemoteAddress());
        } catch (IOException e) {
            return "a peer already gone";
        }
    }

    /**
     * Reads the last events and stops watching (the channels stay known for {@link #release()}); call before
     * the watched socket is closed.
     */
    @Override
    public void close() {
        check();
        SocketMonitor.close(watched, events);
    }
}
