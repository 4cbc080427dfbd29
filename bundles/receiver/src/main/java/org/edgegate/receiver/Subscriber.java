package org.edgegate.receiver;

import org.edgegate.zmq.socket.HandshakeWatch;
import org.edgegate.zmq.socket.MessageLimits;
import org.edgegate.zmq.socket.CurveKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;

import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

/** How {@code edgegate-receive} subscribes: address, topic prefixes, CURVE keys (null: plain). */
record Subscriber(String address, List<String> topics, String serverKey, String keypair) {

    /** A SUB socket connected and subscribed; with a watch, one that is always served (see HandshakeWatch). */
    Connection open(ZMQ.Context context, boolean watched) {
        ZMQ.Socket sub = context.socket(SocketType.SUB);
        sub.setLinger(0);
        sub.setHandshakeIvl(HandshakeWatch.HANDSHAKE_MILLIS);
        sub.setRcvHWM(1000);
        MessageLimits.apply(sub, MessageLimits.RECEIVED_FRAME_BYTES);
        if (serverKey != null) {
            ZCert me = keypair != null ? CurveKeys.keyPair(Paths.get(keypair)) : new ZCert();
            sub.setCurvePublicKey(me.getPublicKey());
            sub.setCurveSecretKey(me.getSecretKey());
            sub.setCurveServerKey(CurveKeys.publicKey(serverKey));
        }
        HandshakeWatch watch = watched ? new HandshakeWatch(context, sub) : null;
        sub.connect(address);
        for (String t : topics.isEmpty() ? List.of("") : topics) {
            sub.subscribe(t.getBytes(StandardCharsets.UTF_8));
        }
        return new Connection(sub, watch, watched ? () -> open(context, true) : null);
    }

    /** A subscriber and its handshake watch (null: bare). */
    static final class Connection implements AutoCloseable {
        private ZMQ.Socket sub;
        private HandshakeWatch watch;
        private final Supplier<Connection> reopen;
        private long kicks;
        private long drops;

        Connection(ZMQ.Socket sub, HandshakeWatch watch, Supplier<Connection> reopen) {
            this.sub = sub;
            this.watch = watch;
            this.reopen = reopen;
        }

        ZMQ.Socket sub() {
            return sub;
        }

        /** Nudges of the I/O thread, over every socket this connection had. */
        long kicks() {
            return kicks + (watch == null ? 0 : watch.kicks());
        }

        /** Connections dropped before their greeting, each of which made this one open a new socket. */
        long drops() {
            return drops;
        }

        /** The next message's first frame within about {@code tickMillis}, or null; runs the watch. */
        byte[] recv(int tickMillis) {
            long in = -1;
            if (watch != null) {
                in = watch.check();
                if (watch.dropsBeforeGreeting() > 0) {
                    // A SUB whose connection was dropped before its greeting never sends its subscription
                    // again, not even when subscribing anew (docs/zmq.md): a new socket does.
                    drops++;
                    kicks += watch.kicks();
                    Connection fresh = reopen.get();
                    closeSocket();
                    sub = fresh.sub;
                    watch = fresh.watch;
                    in = watch.check();
                }
            }
            sub.setReceiveTimeOut(in < 0 ? tickMillis : (int) Math.min(tickMillis, in));
            return sub.recv(0);
        }

        private void closeSocket() {
            if (watch != null) {
                watch.close();
            }
            sub.close();
        }

        @Override
        public void close() {
            closeSocket();
        }
    }
}
