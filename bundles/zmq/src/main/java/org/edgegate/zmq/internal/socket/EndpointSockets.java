package org.edgegate.zmq.internal.socket;

import org.edgegate.zmq.socket.HandshakeWatch;
import org.edgegate.zmq.socket.MessageLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.Threads;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * What one connection of an endpoint holds: a ZeroMQ context with its one I/O thread, the CURVE security
 * (with its ZAuth actor), the socket the configuration asks for, the handshake watch of a connecting socket
 * or the connection guard of a binding one, and one poller over them and the {@link WakePipe}. Opened, polled
 * and closed by the endpoint's thread only (ZeroMQ sockets are not thread-safe).
 *
 * <p>The context's threads run in Linux's {@code SCHED_BATCH} policy ({@link BatchScheduling}).
 *
 * <p>The context's threads are watched ({@link ContextThreads}): {@link #poll} throws once one died, and
 * {@link #close} then still releases the port, though JeroMQ cannot terminate such a context.
 */
public final class EndpointSockets implements AutoCloseable {
    /** How long closing the context may take before it is given up (ports released by hand). */
    static final long CLOSE_MILLIS = 2_000;
    /** Longest poll: the context's threads are looked at least this often (a death wakes the poll at once; an idle
     * endpoint wakes only this often, each wake about 0.4 ms of CPU here). */
    static final long WATCH_MILLIS = 10_000;

    private final SocketOptions settings;
    private final WakePipe wakePipe;
    private final String threadPrefix;
    private final ConnectorLog log;
    private final Consumer<String> problems;

    private ZContext context;
    private ContextThreads threads;
    private CurveSecurity curve;
    private ZMQ.Socket socket;
    private HandshakeWatch handshakes;
    private ConnectionGuard guard;
    private ZMQ.Poller poller;
    private int socketItem = -1;
    private int wakeItem = -1;
    private int watchItem = -1;
    private int guardItem = -1;
    /**
     * The last poll saw the socket's command channel ready, and no message has come of it since. Volatile: a
     * producer's {@link #readable()} (under the endpoint's lock) clears it while this thread polls without it.
     */
    private volatile boolean signalUnanswered;
    /** Gives this thread's CPU away (a test counts the calls). */
    Runnable giveWay = Thread::yield;

    /**
     * @param threadPrefix names the context's threads
     * @param problems told the errors to count (refused clients, messages cut off)
     */
    public EndpointSockets(SocketOptions settings, WakePipe wakePipe, String threadPrefix, ConnectorLog log,
            Consumer<String> problems) {
        this.settings = settings;
        this.log = log;
        this.wakePipe = wakePipe;
        this.threadPrefix = threadPrefix;
        this.problems = problems;
    }

    /**
     * Opens everything. Throws {@link org.zeromq.ZMQException} when the address cannot be bound or connected
     * to, IllegalArgumentException for a bad key file; the caller then closes.
     */
    public void open() {
        context = new ZContext(1);
        threads = new ContextThreads(threadPrefix, wakePipe::wake);
        context.setThreadFactor(threads::newThread);
        context.setNotificationExceptionHandler((t, e) -> notified(e));
        curve = new CurveSecurity(settings, problems);
        curve.start(context, threadPrefix + "-zauth");
        openSocket();
    }

    /**
     * What JeroMQ's threads caught and went on after. While the context closes, its termination can send an
     * acknowledgement to a socket's mailbox that is closed already (ClosedChannelException from the signaler):
     * nothing is lost then, so it is logged at debug, not as a warning at every such shutdown.
     */
    void notified(Throwable e) {
        if (threads != null && threads.isClosing()) {
            log.debug("{}: {} while the context closes", threadPrefix, e.toString());
        } else {
            log.warn("{}: {}", threadPrefix, e.toString());
        }
    }

    /** A fresh socket in the same context, e.g. for a REQ socket that can no longer send. */
    public void reopenSocket() {
        closeSocket();
        openSocket();
    }

    private void openSocket() {
        SocketType type = settings.type() == SocketType.PUB ? SocketType.XPUB : settings.type();
        socket = context.createSocket(type);
        socket.setLinger(0);
        socket.setHandshakeIvl(HandshakeWatch.HANDSHAKE_MILLIS);
        socket.setSndHWM(settings.hwm());
        socket.setRcvHWM(settings.hwm());
        MessageLimits.apply(socket, settings.maxInboundBytes());
        curve.apply(socket);
        if (settings.bind()) {
            guard = new ConnectionGuard(context.getContext(), socket, settings.maxConnections(), problems);
            socket.bind(settings.address());
        } else {
            // Queue only to peers that are there: no stale frames piling up for an absent receiver.
            // JeroMQ 0.6's ZMQ_IMMEDIATE is inverted against libzmq's: false means "completed
            // connections only" (EndpointWorkerTest.seedModeWithoutReceiverDropsAndCounts checks it).
            socket.setImmediate(false);
            handshakes = new HandshakeWatch(context.getContext(), socket);
            socket.connect(settings.address());
        }
        poller = context.getContext().poller(3);
        // The socket's command channel, not the socket: a socket item would read the socket's state in the poll
        // (ZMQ_EVENTS), racing a producer's send, and JeroMQ's poll would spin on a signal not yet counted (poll).
        socketItem = poller.register(socket.getFD(), ZMQ.Poller.POLLIN);
        wakeItem = poller.register(wakePipe.source(), ZMQ.Poller.POLLIN);
        watchItem = handshakes == null ? -1 : poller.register(handshakes.events(), ZMQ.Poller.POLLIN);
        guardItem = guard == null ? -1 : poller.register(guard.events(), ZMQ.Poller.POLLIN);
    }

    public ZMQ.Socket socket() {
        return socket;
    }

    /**
     * Waits up to {@code millis} (-1: until something arrives; at most {@link #WATCH_MILLIS}), shortened while
     * a connection waits for its greeting, and serves the handshake watch and the connection guard; then ask
     * {@link #woken()} and {@link #readable()}.
     *
     * <p>JeroMQ's signal race (see {@link BatchScheduling}) hits this thread too: the context's I/O thread
     * writes the command channel's byte and counts it after; woken between the two, this thread finds the
     * channel ready but reads nothing, and would poll again at once, until the I/O thread had its CPU back.
     * So after a ready channel that brought no message, it gives its CPU away once before polling again.
     *
     * @throws IllegalStateException when a thread of the context died: the connection is lost
     */
    public void poll(long millis) {
        if (signalUnanswered) {
            signalUnanswered = false;
            giveWay.run();
        }
        long watchIn = handshakes == null ? -1 : handshakes.check();
        if (watchIn >= 0) {
            millis = millis < 0 ? watchIn : Math.min(millis, watchIn);
        }
        poller.poll(millis < 0 ? WATCH_MILLIS : Math.min(millis, WATCH_MILLIS));
        signalUnanswered = poller.pollin(socketItem);
        if (watchItem >= 0 && poller.pollin(watchItem)) {
            handshakes.check();
        }
        if (guardItem >= 0 && poller.pollin(guardItem)) {
            guard.check();
        }
        String failure = threads.failure();
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Connections a binding socket serves now; 0 for a connecting one. */
    public int connections() {
        return guard == null ? 0 : guard.connections();
    }

    public boolean woken() {
        return poller.pollin(wakeItem);
    }

    /**
     * Whether a message waits on the socket: asks the socket (under the endpoint's lock), as the command channel
     * the poll watched says only that something changed, a producer's send may have taken its news, and a
     * message read leaves the next one unsignalled (ask again before polling).
     */
    public boolean readable() {
        boolean readable = (socket.getEvents() & ZMQ.Poller.POLLIN) != 0;
        if (readable) {
            signalUnanswered = false;
        }
        return readable;
    }

    /** Sends a multipart message without waiting; false if the socket refused it (no peer, queue full). */
    public boolean send(byte[][] parts) {
        int last = parts.length - 1;
        for (int i = 0; i <= last; i++) {
            if (!socket.send(parts[i], i < last ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT)) {
                if (i > 0) {
                    problems.accept("message cut off after " + i + " frames");
                }
                return false;
            }
        }
        return true;
    }

    /**
     * The waiting message's frames, none when nothing waits. A binding socket first refuses connections over its
     * bound (their ACCEPTED event precedes any message they send): the poll's view of the monitor may be older
     * than the message, and a request of a connection to refuse must not be answered.
     */
    public List<byte[]> receive() {
        if (guard != null) {
            guard.check();
        }
        List<byte[]> frames = new ArrayList<>(1);
        byte[] part = socket.recv(ZMQ.DONTWAIT);
        if (part == null) {
            return frames;
        }
        frames.add(part);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    private void closeSocket() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
        if (handshakes != null) {
            handshakes.close();
            handshakes = null;
        }
        if (guard != null) {
            guard.close(); // before the context closes: it waits for every socket of it
            guard = null;
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
        socketItem = wakeItem = watchItem = guardItem = -1;
    }

    /**
     * Releases everything opened so far, the context's threads included. A context whose I/O thread died never
     * finishes terminating (JeroMQ waits for that thread to close its connections): its listening and accepted
     * channels are closed here instead, so the port is free for the next open, and the wait is given up after
     * {@link #CLOSE_MILLIS} (its reaper thread is left behind, said in the log).
     */
    @Override
    public void close() {
        String failure = threads == null ? null : threads.failure();
        if (threads != null) {
            threads.closing();
        }
        if (failure != null) {
            if (guard != null) {
                guard.release();
            }
            threads.releaseDead();
        }
        ConnectionGuard watched = guard;
        closeSocket();
        if (curve != null) {
            curve.close();
            curve = null;
        }
        if (context != null) {
            closeContext(context, watched);
            context = null;
        }
    }

    private void closeContext(ZContext c, ConnectionGuard watched) {
        Thread closer = new Thread(() -> {
            try {
                c.close();
            } catch (RuntimeException interrupted) {
                // given up below: ZMQException (EINTR) from the interrupted wait
            }
        }, threadPrefix + "-close");
        closer.setDaemon(true);
        closer.start();
        if (!Threads.join(closer, CLOSE_MILLIS)) {
            if (watched != null) {
                watched.release();
            }
            threads.releaseDead();
            closer.interrupt();
            log.warn("{}: the ZeroMQ context did not terminate within {} ms ({}its ports are released, its reaper"
                    + " thread is left behind)", threadPrefix, CLOSE_MILLIS,
                    threads.failure() == null ? "" : threads.failure() + "; ");
        }
    }
}
