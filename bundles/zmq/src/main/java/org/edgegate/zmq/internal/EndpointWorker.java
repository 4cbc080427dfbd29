package org.edgegate.zmq.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.EndpointStatistics;
import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.HealthTracker;
import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import zmq.ZError;

/**
 * The thread of one endpoint. It alone touches the endpoint's ZeroMQ context and sockets (ZeroMQ sockets
 * are not thread-safe); producers hand it work through the {@link Outbox} and wake it through a pipe that
 * its poller watches next to the sockets, so it sleeps in one poll until there is something to do.
 *
 * <p>Sending never blocks: every send is non-blocking, a refused message is counted as dropped, a busy
 * address is retried with back-off, an imagezmq hub that stops answering gets its socket closed and
 * reopened.
 */
final class EndpointWorker implements Runnable {
    private static final int BATCH = 256;
    private static final long STOP_JOIN_MILLIS = 5_000;
    /**
     * A peer that connects and never greets (a JeroMQ 0.6 peer whose I/O thread forgot the connection, see
     * {@link HandshakeWatch}, or a half-open client) is dropped after this long instead of ZeroMQ's default
     * 30 s, and a connecting socket of ours reconnects.
     */
    static final int HANDSHAKE_MILLIS = 2_000;

    private final EndpointConfig config;
    private final EndpointLog log;
    private final WireFormat format;
    private final StateProtocol stateProtocol;
    private final Outbox outbox;
    private final Thread thread;
    private final Pipe wakePipe;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String lastError = "";
    private final HealthTracker health;
    private final Backoff retryBackoff;
    private volatile boolean running = true;

    // Owned by the worker thread.
    private ZMQ.Context context;
    private ZMQ.Socket socket;
    private ZMQ.Socket zap;
    private HandshakeWatch handshakes;
    private ZMQ.Poller poller;
    private int socketItem = -1;
    private int zapItem = -1;
    private int wakeItem = -1;
    private int watchItem = -1;
    /** Prefixes subscribed to through the XPUB socket; replaced, never changed, by the worker thread. */
    private volatile List<byte[]> subscriptions = List.of();
    private long retryAt;
    private boolean awaitingReply;
    private long replyDeadline;
    private boolean peerMissing;

    EndpointWorker(EndpointConfig config, Supplier<StateService> state, EndpointLog log) throws IOException {
        this.config = config;
        this.log = log;
        this.health = new HealthTracker("endpoint " + config.id(), ConnectorLog.of(log::info, log::warn, m -> { }));
        this.retryBackoff = new Backoff(1_000, TimeUnit.SECONDS.toMillis(config.retryMaxSeconds()));
        this.format = config.mode() == EndpointConfig.Mode.STATE ? null : WireFormat.of(config);
        this.stateProtocol = config.mode() == EndpointConfig.Mode.STATE
                ? new StateProtocol(state, config.maxRequestBytes()) : null;
        this.wakePipe = Pipe.open();
        wakePipe.sink().configureBlocking(false);
        wakePipe.source().configureBlocking(false);
        this.outbox = new Outbox(config.queue(), config.maxFps(), this::wake, dropped);
        this.thread = new Thread(this, "edgegate-zmq-" + config.id());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread and releases the context, its threads and the pipe; waits a few seconds at most. */
    void stop() {
        running = false;
        wake();
        try {
            thread.join(STOP_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("endpoint " + config.id() + ": its thread did not stop within " + STOP_JOIN_MILLIS + " ms");
        }
    }

    Outbox outbox() {
        return outbox;
    }

    Health health() {
        return health.get();
    }

    EndpointStatistics statistics() {
        return new EndpointStatistics(sent.get(), dropped.get(), errors.get(), lastError);
    }

    long bytesSent() {
        return bytes.get();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private void wake() {
        try {
            wakePipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
        } catch (IOException closedOrFull) {
            // a full pipe already wakes the thread; a closed one belongs to a stopped endpoint
        }
    }

    @Override
    public void run() {
        try {
            context = ZMQ.context(1);
            context.setThreadFactor((r, name) -> {
                Thread t = new Thread(r, "edgegate-zmq-" + config.id() + "-" + name);
                t.setDaemon(true);
                return t;
            });
            context.setNotificationExceptionHandler((t, e) -> log.warn("endpoint " + config.id() + ": " + e));
            while (running) {
                if (socket == null) {
                    if (System.currentTimeMillis() >= retryAt) {
                        open(false);
                    } else {
                        idle(retryAt - System.currentTimeMillis());
                    }
                    continue;
                }
                cycle();
            }
        } catch (RuntimeException | Error e) {
            health.set(HealthState.FAILED, "stopped by an internal error: " + e);
            error("internal error: " + e);
        } finally {
            closeSockets();
            if (context != null) {
                context.term();
            }
            outbox.clear();
            try {
                wakePipe.source().close();
                wakePipe.sink().close();
            } catch (IOException e) {
                // nothing left to release
            }
            if (health.get().state() != HealthState.FAILED) {
                health.set(HealthState.STOPPED, "");
            }
        }
    }

    /** Waits for a wake-up or the timeout while there is no socket; work waiting meanwhile stays bounded. */
    private void idle(long millis) {
        try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
            wakePipe.source().register(s, java.nio.channels.SelectionKey.OP_READ);
            s.select(Math.max(1, millis));
            drainWakePipe();
        } catch (IOException e) {
            sleepQuietly(Math.min(millis, 100));
        }
    }

    /** Opens the socket; {@code quietly} when reopening after a silent hub (said once, not every time). */
    private void open(boolean quietly) {
        try {
            SocketType type = config.socket() == SocketType.PUB ? SocketType.XPUB : config.socket();
            ZCert keys = config.curve() == null ? null : CurveKeys.keyPair(config.curve().keypair());
            if (keys != null && config.bind() && config.curve().clients() != null) {
                // The ZAP handler must be bound before the socket so every handshake consults it.
                zap = context.socket(SocketType.REP);
                zap.setLinger(0);
                zap.bind("inproc://zeromq.zap.01");
            }
            socket = context.socket(type);
            socket.setLinger(0);
            socket.setHandshakeIvl(HANDSHAKE_MILLIS);
            socket.setSndHWM(config.hwm());
            socket.setRcvHWM(config.hwm());
            if (type == SocketType.REP) {
                socket.setMaxMsgSize(maxMessageBytes(config.maxRequestBytes()));
            }
            if (keys != null) {
                socket.setCurvePublicKey(keys.getPublicKey());
                socket.setCurveSecretKey(keys.getSecretKey());
                if (config.bind()) {
                    socket.setCurveServer(true);
                } else {
                    socket.setCurveServerKey(CurveKeys.publicKey(config.curve().serverKey()));
                }
            }
            if (config.bind()) {
                socket.bind(config.address());
            } else {
                // Queue only to peers that are there: no stale frames piling up for an absent receiver.
                // JeroMQ 0.6's ZMQ_IMMEDIATE is inverted against libzmq's: false means "completed
                // connections only" (EndpointWorkerTest.seedModeWithoutReceiverDropsAndCounts checks it).
                socket.setImmediate(false);
                handshakes = new HandshakeWatch(context, socket);
                socket.connect(config.address());
            }
            poller = context.poller(4);
            socketItem = poller.register(socket, ZMQ.Poller.POLLIN);
            wakeItem = poller.register(wakePipe.source(), ZMQ.Poller.POLLIN);
            zapItem = zap == null ? -1 : poller.register(zap, ZMQ.Poller.POLLIN);
            watchItem = handshakes == null ? -1 : poller.register(handshakes.events(), ZMQ.Poller.POLLIN);
            awaitingReply = false;
            peerMissing = false;
            retryBackoff.reset();
            if (!quietly) {
                health.set(HealthState.OPEN, (config.bind() ? "bound to " : "connecting to ") + config.address());
            }
        } catch (ZMQException e) {
            String why = ZError.toString(e.getErrorCode());
            retryLater(HealthState.RECONNECTING, "cannot " + (config.bind() ? "bind " : "connect to ")
                    + config.address() + ": " + why + (e.getErrorCode() == ZError.EADDRINUSE
                            ? " (another process or endpoint holds the port)" : ""));
        } catch (IllegalArgumentException e) {
            retryLater(HealthState.FAILED, e.getMessage());
        }
    }

    /**
     * What a REP socket reads at all: a request over {@code max.request} but within this is read and answered
     * with an error; a longer one would have to be held in memory whole, so ZeroMQ drops its connection.
     */
    static long maxMessageBytes(int maxRequestBytes) {
        return Math.max(16L << 20, 16L * maxRequestBytes);
    }

    private void retryLater(HealthState state, String reason) {
        closeSockets();
        long delay = retryBackoff.next();
        retryAt = System.currentTimeMillis() + delay;
        health.set(state, reason + "; retrying in " + Math.max(1, Math.round(delay / 1000.0)) + " s");
        error(reason);
    }

    private void cycle() {
        long timeout = -1;
        if (awaitingReply) {
            timeout = Math.max(0, replyDeadline - System.currentTimeMillis());
        }
        long watchIn = handshakes == null ? -1 : handshakes.check();
        if (watchIn >= 0) {
            timeout = timeout < 0 ? watchIn : Math.min(timeout, watchIn);
        }
        poller.poll(timeout);
        if (watchItem >= 0 && poller.pollin(watchItem)) {
            handshakes.check();
        }
        if (zapItem >= 0 && poller.pollin(zapItem)) {
            answerZap();
        }
        if (poller.pollin(wakeItem)) {
            drainWakePipe();
        }
        if (poller.pollin(socketItem)) {
            readSocket();
        }
        if (socket == null) {
            return;
        }
        if (awaitingReply && System.currentTimeMillis() >= replyDeadline) {
            hubSilent();
            return;
        }
        sendWaiting();
    }

    /** Consumes the wake-up bytes and re-arms the outbox's signal; the caller drains the outbox after. */
    private void drainWakePipe() {
        outbox.awake(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64);
            try {
                while (wakePipe.source().read(buf) > 0) {
                    buf.clear();
                }
            } catch (IOException e) {
                // closed while stopping
            }
        });
    }

    private void readSocket() {
        switch (config.socket()) {
            case PUB -> readSubscriptions();
            case REQ -> readReply();
            case REP -> answerRequest();
            default -> readAll(socket); // a PAIR peer that talks back is ignored
        }
    }

    /** XPUB tells which prefixes at least one subscriber wants: nothing else is encoded or sent. */
    private void readSubscriptions() {
        byte[] m;
        while ((m = socket.recv(ZMQ.DONTWAIT)) != null) {
            if (m.length == 0) {
                continue;
            }
            byte[] prefix = Arrays.copyOfRange(m, 1, m.length);
            List<byte[]> next = new ArrayList<>(subscriptions);
            next.removeIf(p -> Arrays.equals(p, prefix));
            if (m[0] == 1) {
                next.add(prefix);
            }
            subscriptions = List.copyOf(next);
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
            held = HeldFrame.of(frame, config.raw());
        } catch (RuntimeException e) {
            error("cannot take frame " + frame.sequence() + " of camera " + frame.cameraId() + ": " + e);
            return;
        }
        outbox.offerFrame(held);
    }

    /** Whether a subscriber wants this item (always, for sockets that are not PUB). Any thread. */
    private boolean wanted(Object item) {
        if (config.socket() != SocketType.PUB) {
            return true;
        }
        List<byte[]> subscriptions = this.subscriptions;
        String topic = format.topic(item);
        if (topic == null) {
            return !subscriptions.isEmpty();
        }
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        for (byte[] p : subscriptions) {
            if (p.length <= t.length && Arrays.equals(p, 0, p.length, t, 0, p.length)) {
                return true;
            }
        }
        return false;
    }

    private void sendWaiting() {
        if (format == null) {
            return;
        }
        if (config.socket() == SocketType.REQ) {
            if (!awaitingReply) {
                sendRequest();
            }
            return;
        }
        for (int i = 0; i < BATCH; i++) {
            Object item = outbox.poll();
            if (item == null) {
                return;
            }
            if (!wanted(item)) {
                continue;
            }
            byte[][] message = encode(item);
            if (message != null && !send(message)) {
                dropped.incrementAndGet();
                noteMissingPeer();
            }
        }
        wake(); // more than one batch waiting: come back after polling the sockets once
    }

    private void sendRequest() {
        Object frame = outbox.pollFrame();
        if (frame == null) {
            return;
        }
        byte[][] message = encode(frame);
        if (message == null) {
            return;
        }
        if (send(message)) {
            awaitingReply = true;
            replyDeadline = System.currentTimeMillis() + config.replyTimeoutMillis();
        } else {
            dropped.incrementAndGet();
            noteMissingPeer();
        }
    }

    private void readReply() {
        readAll(socket);
        if (awaitingReply) {
            awaitingReply = false;
            if (health.get().state() != HealthState.OPEN) {
                health.set(HealthState.OPEN, "hub at " + config.address() + " answers");
            }
        }
    }

    /** The hub took a frame and never answered: a REQ socket cannot send again, so start a fresh one. */
    private void hubSilent() {
        awaitingReply = false;
        String reason = "no reply from " + config.address() + " within " + config.replyTimeoutMillis()
                + " ms; reopened the socket";
        error(reason);
        closeSockets();
        open(true);
        if (socket != null) {
            health.set(HealthState.RECONNECTING, reason);
        }
    }

    private void answerRequest() {
        List<byte[]> request = readAll(socket);
        byte[] reply = stateProtocol.handle(request);
        if (socket.send(reply, ZMQ.DONTWAIT)) {
            sent.incrementAndGet();
            bytes.addAndGet(reply.length);
        } else {
            error("could not send a reply (requester gone)");
        }
    }

    /** ZAP (ZeroMQ RFC 27): allow a CURVE client whose public key has a certificate in curve.clients. */
    private void answerZap() {
        List<byte[]> req = readAll(zap);
        if (req.size() < 7) {
            reply(zap, "1.0", req.size() > 1 ? req.get(1) : new byte[0], "500", "malformed ZAP request", "");
            return;
        }
        String mechanism = new String(req.get(5), StandardCharsets.UTF_8);
        String address = new String(req.get(3), StandardCharsets.UTF_8);
        byte[] key = req.get(6);
        String z85 = key.length == ZMQ.Curve.KEY_SIZE ? ZMQ.Curve.z85Encode(key) : "";
        boolean allowed = mechanism.equals("CURVE") && !z85.isEmpty()
                && CurveKeys.publicKeysIn(config.curve().clients()).contains(z85);
        if (!allowed) {
            error("refused CURVE client " + (z85.isEmpty() ? "without key" : z85) + " from " + address
                    + " (its public certificate is not in " + config.curve().clients() + ")");
        }
        reply(zap, "1.0", req.get(1), allowed ? "200" : "400", allowed ? "OK" : "client key not allowed",
                allowed ? z85 : "");
    }

    private static void reply(ZMQ.Socket s, String version, byte[] requestId, String status, String text,
            String userId) {
        s.sendMore(version);
        s.sendMore(requestId);
        s.sendMore(status);
        s.sendMore(text);
        s.sendMore(userId);
        s.send(new byte[0]);
    }

    private byte[][] encode(Object item) {
        try {
            return format.encode(item);
        } catch (RuntimeException e) {
            error("cannot encode " + format.topic(item) + ": " + e);
            return null;
        }
    }

    /** Sends a multipart message without waiting; false if the socket refused it (no peer, queue full). */
    private boolean send(byte[][] parts) {
        int last = parts.length - 1;
        for (int i = 0; i <= last; i++) {
            boolean ok = socket.send(parts[i], i < last ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
            if (!ok) {
                if (i > 0) {
                    error("message cut off after " + i + " frames");
                }
                return false;
            }
        }
        sent.incrementAndGet();
        long n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        bytes.addAndGet(n);
        if (peerMissing) {
            peerMissing = false;
            health.set(HealthState.OPEN, "connected to " + config.address());
        }
        return true;
    }

    private void noteMissingPeer() {
        if (!peerMissing && !config.bind()) {
            peerMissing = true;
            health.set(HealthState.RECONNECTING, "no receiver at " + config.address()
                    + " (absent, or not reading); dropping frames until it takes them");
        }
    }

    private static List<byte[]> readAll(ZMQ.Socket s) {
        List<byte[]> frames = new ArrayList<>(1);
        byte[] part = s.recv(ZMQ.DONTWAIT);
        if (part == null) {
            return frames;
        }
        frames.add(part);
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return frames;
    }

    private void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    private void closeSockets() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (zap != null) {
            zap.close();
            zap = null;
        }
        if (handshakes != null) {
            handshakes.close();
            handshakes = null;
        }
        subscriptions = List.of();
        socketItem = zapItem = wakeItem = watchItem = -1;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
