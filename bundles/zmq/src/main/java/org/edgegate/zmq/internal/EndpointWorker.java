package org.edgegate.zmq.internal;

import org.edgegate.zmq.socket.HandshakeWatch;
import org.edgegate.kernel.ConnectorLog;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.EndpointStatistics;
import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.Connector;
import org.edgegate.config.GatewayPaths;
import org.edgegate.zmq.internal.socket.EndpointSockets;
import org.edgegate.zmq.internal.socket.WakePipe;
import org.edgegate.zmq.internal.wire.StateProtocol;
import org.edgegate.zmq.internal.wire.WireFormat;
import org.zeromq.SocketType;
import org.zeromq.ZMQException;

import zmq.ZError;

/**
 * One endpoint's protocol on the kernel's {@link Connector} (which owns the thread, stop, back-off and
 * health): it opens the {@link EndpointSockets}, then polls them, reading what the socket type brings
 * (XPUB subscriptions, imagezmq replies, state requests) and sending what waits in the {@link Outbox}.
 * Producers fill the outbox, which wakes this thread through a {@link WakePipe}; a PUB endpoint's producer
 * sends itself instead when the socket is free and nothing waits before its item ({@link #sendNow}): then no
 * thread is woken but JeroMQ's I/O thread. The socket is only ever touched under {@link #socketLock}.
 *
 * <p>With a batch window ({@code batch.window}), nothing is sent by producers: after each send the thread
 * holds what comes for the window, with the outbox's wake-ups silenced, then sends it all at once, so JeroMQ's
 * I/O thread wakes once per window instead of once per message. The first item after a quiet window goes out
 * at once.
 *
 * <p>Sending never blocks: every send is non-blocking, a refused message is counted as dropped, a busy
 * address is retried with back-off, an imagezmq hub that stops answering gets its socket reopened.
 */
final class EndpointWorker extends Connector {
    private static final int BATCH = 256;
    private static final long STOP_GRACE_MILLIS = 5_000;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    /** The handshake limit of the endpoint's sockets, see {@link HandshakeWatch#HANDSHAKE_MILLIS}. */
    static final int HANDSHAKE_MILLIS = HandshakeWatch.HANDSHAKE_MILLIS;

    private final EndpointSettings settings;
    private final Backoff backoff;
    private final WireFormat format;
    private final StateProtocol stateProtocol;
    private final EndpointCounters counters = new EndpointCounters();
    private final Subscriptions subscriptions = new Subscriptions();
    private final HubReplies hub;
    private final WakePipe wakePipe;
    private final Outbox outbox;
    private final EndpointSockets sockets;
    /**
     * Held by whoever touches the socket: the endpoint's thread (between polls, never while it waits) or a
     * producer sending on its own thread. ZeroMQ sockets are not thread-safe; used by one thread at a time
     * with a lock's memory barrier between them they are.
     */
    private final ReentrantLock socketLock = new ReentrantLock();
    /** PUB sockets only: their sends never wait and need no reply, so a producer may make them. */
    private final boolean direct;
    /** Under the lock: the socket is open and may be sent on by producers. */
    private boolean socketOpen;
    /** Under the lock: a connecting socket's last send found no receiver. */
    private boolean peerMissing;
    /** The batch window, 0 when off. */
    private final long batchWindowNanos;
    /** Written by the endpoint thread only: within a batch window (the outbox's wake-ups silenced). */
    private volatile boolean holding;
    /** Endpoint thread only: when the batch window ends (on {@link #clock}). */
    private long windowEnd;
    /** Nanoseconds, for the batch window: {@link System#nanoTime}, a clock of their own in tests. */
    private final LongSupplier clock;

    EndpointWorker(EndpointSettings settings, Supplier<StateService> state, ConnectorLog log) throws IOException {
        this(settings, state, log, System::nanoTime);
    }

    EndpointWorker(EndpointSettings settings, Supplier<StateService> state, ConnectorLog log, LongSupplier clock)
            throws IOException {
        this(settings, state, log, clock,
                new Backoff(FIRST_RETRY_MILLIS, TimeUnit.SECONDS.toMillis(settings.retryMaxSeconds())));
    }

    private EndpointWorker(EndpointSettings settings, Supplier<StateService> state, ConnectorLog log, LongSupplier clock,
            Backoff backoff) throws IOException {
        super("edgegate-zmq-" + settings.id(), "endpoint " + settings.id(), backoff, log);
        this.clock = clock;
        this.settings = settings;
        this.backoff = backoff;
        boolean stateMode = settings.mode() == EndpointSettings.Mode.STATE;
        this.format = stateMode ? null : format(settings);
        this.stateProtocol = stateMode ? new StateProtocol(state, settings.maxRequestBytes()) : null;
        this.hub = new HubReplies(settings.replyTimeoutMillis());
        this.batchWindowNanos = TimeUnit.MILLISECONDS.toNanos(settings.batchWindowMillis());
        this.direct = !stateMode && settings.socket() == SocketType.PUB && batchWindowNanos == 0;
        this.wakePipe = new WakePipe();
        this.outbox = new Outbox(settings.queue(), settings.maxFps(), wakePipe::wake, counters.dropped);
        this.sockets = new EndpointSockets(settings.socketOptions(), wakePipe, "edgegate-zmq-" + settings.id(), log,
                counters::error);
    }

    private static WireFormat format(EndpointSettings settings) {
        return switch (settings.mode()) {
            case NATIVE -> new WireFormat.Native(settings.raw());
            case SEED -> new WireFormat.Seed();
            case IMAGEZMQ -> new WireFormat.ImageZmq(settings.raw(), settings.name(), GatewayPaths.hostName());
            case STATE -> throw new IllegalArgumentException("the state endpoint answers requests, it sends no stream");
        };
    }

    /** Stops the thread (its sockets and context are closed then), drops what still waits, closes the pipe. */
    void stop() {
        stop(STOP_GRACE_MILLIS);
        outbox.clear();
        wakePipe.close();
    }

    Outbox outbox() {
        return outbox;
    }

    /** Whether a batch window holds what is offered now. */
    boolean holding() {
        return holding;
    }

    EndpointStatistics statistics() {
        return counters.statistics();
    }

    long bytesSent() {
        return counters.bytesSent();
    }

    @Override
    protected void open() throws Unavailable {
        socketLock.lock();
        try {
            openLocked();
        } finally {
            socketLock.unlock();
        }
    }

    private void openLocked() throws Unavailable {
        try {
            sockets.open();
        } catch (ZMQException e) {
            sockets.close();
            throw retryLater(HealthState.RECONNECTING, "cannot " + (settings.bind() ? "bind " : "connect to ")
                    + settings.address() + ": " + ZError.toString(e.getErrorCode())
                    + (e.getErrorCode() == ZError.EADDRINUSE ? " (another process or endpoint holds the port)" : ""));
        } catch (IllegalArgumentException e) {
            sockets.close();
            throw retryLater(HealthState.FAILED, e.getMessage());
        }
        hub.reset();
        peerMissing = false;
        socketOpen = true;
        if (holding) { // closed within a window: wake-ups are silenced, so look at the outbox once now
            holding = false;
            outbox.awake(() -> { });
            wakePipe.wake();
        }
        progress();
    }

    /** Counts the failure and tells the kernel how long to wait (said in seconds, as gw:status shows it). */
    private Unavailable retryLater(HealthState state, String reason) {
        counters.error(reason);
        long delay = backoff.next();
        return new Unavailable(state, reason + "; retrying in " + Math.max(1, Math.round(delay / 1000.0)) + " s",
                delay);
    }

    @Override
    protected void work() {
        health(HealthState.OPEN, (settings.bind() ? "bound to " : "connecting to ") + settings.address());
        while (running()) {
            sockets.poll(pollMillis()); // without the lock: producers send meanwhile
            socketLock.lock();
            try {
                if (sockets.woken()) {
                    if (holding) {
                        wakePipe.drain(); // a window's offers stay silent: it ends by the poll's timeout
                    } else {
                        // consume the signals before draining the outbox, so an offer made meanwhile signals again
                        outbox.awake(wakePipe::drain);
                    }
                }
                readWaiting();
                if (hub.overdue()) {
                    hubSilent();
                } else if (batchWindowNanos == 0) {
                    sendWaiting();
                } else if (!holding || clock.getAsLong() - windowEnd >= 0) {
                    sendInWindows();
                }
            } finally {
                socketLock.unlock();
            }
        }
    }

    /** How long the poll may wait: until the hub's reply is due, the batch window ends, or forever (-1). */
    private long pollMillis() {
        long hubMillis = hub.pollMillis();
        if (!holding) {
            return hubMillis;
        }
        long windowMillis = Math.max(0, -Math.floorDiv(clock.getAsLong() - windowEnd, 1_000_000L)); // rounded up
        return hubMillis < 0 ? windowMillis : Math.min(hubMillis, windowMillis);
    }

    /**
     * Sends what waits; having sent, holds the next items for a window (their offers wake nobody). A window
     * that ends with nothing waiting re-arms the outbox's wake-ups; more than one batch waiting ends the
     * window at once, so a backlog is never paced by it.
     */
    private void sendInWindows() {
        int sent = sendWaiting();
        if (sent > 0) {
            holding = true;
            windowEnd = clock.getAsLong() + (sent < BATCH ? batchWindowNanos : 0);
            outbox.silence();
        } else if (holding) {
            holding = false;
            outbox.awake(wakePipe::drain);
            if (!outbox.isEmpty()) {
                wakePipe.wake(); // offered between the send above and the re-arm: its signal was silenced
            }
        }
    }

    /** A connection lost (a thread of its context died, a socket failed) counts as an error too. */
    @Override
    protected void retrying(String reason, long retryMillis) {
        counters.error(reason);
    }

    @Override
    protected void close() {
        socketLock.lock();
        try {
            socketOpen = false;
            sockets.close();
            subscriptions.clear();
        } finally {
            socketLock.unlock();
        }
    }

    @Override
    protected void wakeUp() {
        wakePipe.wake();
    }

    /** Reads up to {@link #BATCH} waiting messages; more than that: come back after polling once. */
    private void readWaiting() {
        for (int i = 0; sockets.readable(); i++) {
            if (i == BATCH) {
                wakePipe.wake();
                return;
            }
            readSocket();
        }
    }

    private void readSocket() {
        switch (settings.socket()) {
            case PUB -> subscriptions.read(sockets.socket());
            case REQ -> readReply();
            case REP -> answerRequest();
            default -> sockets.receive(); // a PAIR peer that talks back is ignored
        }
    }

    /**
     * Takes a camera's frame, on the frame listener's thread: skips it when no subscriber wants it or the
     * camera is over its rate, else takes its bytes now (the camera reuses its pixels after the call, and
     * the first taker pays the JPEG encoding) and puts it in the camera's slot.
     */
    void offerFrame(Frame frame) {
        if (!wanted(frame) || !outbox.admit(frame.cameraId(), frame.nanoTime())) {
            return;
        }
        HeldFrame held;
        try {
            held = HeldFrame.of(frame, settings.raw());
        } catch (RuntimeException e) {
            counters.error("cannot take frame " + frame.sequence() + " of camera " + frame.cameraId() + ": " + e);
            return;
        }
        if (!sendNow(held)) {
            outbox.offerFrame(held);
        }
    }

    /** Takes a reading or state change, on its producer's thread. */
    void offerEvent(Object event) {
        if (!sendNow(event)) {
            outbox.offerEvent(event);
        }
    }

    /**
     * Sends the item on the caller's thread if this is a PUB endpoint, its socket is open and free, and nothing
     * waits in the outbox (which keeps each producer's items in order); false: the outbox takes it. Never waits:
     * the send does not (a subscriber over its high-water mark loses the message, as from the endpoint's thread).
     */
    private boolean sendNow(Object item) {
        if (!direct || !socketLock.tryLock()) {
            return false;
        }
        try {
            if (!socketOpen || !outbox.isEmpty()) {
                return false;
            }
            if (wanted(item)) {
                send(encode(item));
            }
            // the send may have taken the command that announced a subscription: read it now, as the
            // endpoint's thread, woken by that command, may find it taken
            if (sockets.readable()) {
                readSocket();
            }
            return true;
        } finally {
            socketLock.unlock();
        }
    }

    /** Whether a subscriber wants this item (always, for sockets that are not PUB). Any thread. */
    private boolean wanted(Object item) {
        return settings.socket() != SocketType.PUB || subscriptions.want(format.topic(item));
    }

    /** Sends up to {@link #BATCH} waiting items; returns how many it took from the outbox. */
    private int sendWaiting() {
        if (format == null) {
            return 0;
        }
        if (settings.socket() == SocketType.REQ) {
            if (hub.free()) {
                sendRequest();
            }
            return 0;
        }
        for (int i = 0; i < BATCH; i++) {
            Object item = outbox.poll();
            if (item == null) {
                return i;
            }
            if (wanted(item)) {
                send(encode(item));
            }
        }
        wakePipe.wake(); // more than one batch waiting: come back after polling the sockets once
        return BATCH;
    }

    private void sendRequest() {
        Object frame = outbox.pollFrame();
        if (frame != null && send(encode(frame))) {
            hub.sent();
        }
    }

    private void readReply() {
        sockets.receive();
        if (hub.replied() && health().state() != HealthState.OPEN) {
            health(HealthState.OPEN, "hub at " + settings.address() + " answers");
        }
    }

    /** The hub took a frame and never answered: a REQ socket cannot send again, so start a fresh one. */
    private void hubSilent() {
        hub.reset();
        String reason = "no reply from " + settings.address() + " within " + hub.timeoutMillis()
                + " ms; reopened the socket";
        counters.error(reason);
        sockets.reopenSocket();
        health(HealthState.RECONNECTING, reason);
    }

    private void answerRequest() {
        byte[] reply = stateProtocol.handle(sockets.receive());
        if (sockets.send(new byte[][] { reply })) {
            counters.sent(reply.length);
        } else {
            counters.error("could not send a reply (requester gone)");
        }
    }

    private byte[][] encode(Object item) {
        try {
            return format.encode(item);
        } catch (RuntimeException e) {
            counters.error("cannot encode " + format.topic(item) + ": " + e);
            return null;
        }
    }

    /** Sends without waiting; a message the socket refused is dropped and counted. */
    private boolean send(byte[][] message) {
        if (message == null) {
            return false;
        }
        if (!sockets.send(message)) {
            counters.dropped();
            noteMissingPeer();
            return false;
        }
        long size = 0;
        for (byte[] p : message) {
            size += p.length;
        }
        counters.sent(size);
        if (peerMissing) {
            peerMissing = false;
            health(HealthState.OPEN, "connected to " + settings.address());
        }
        return true;
    }

    private void noteMissingPeer() {
        if (!peerMissing && !settings.bind()) {
            peerMissing = true;
            health(HealthState.RECONNECTING, "no receiver at " + settings.address()
                    + " (absent, or not reading); dropping frames until it takes them");
        }
    }
}
