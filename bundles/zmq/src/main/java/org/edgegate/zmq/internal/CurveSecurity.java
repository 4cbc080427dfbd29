package org.edgegate.zmq.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * CURVE for one endpoint's socket: its key pair, the server's key for a connecting socket and, for a
 * binding one with {@code curve.clients}, the ZAP handler that admits only clients whose certificate is in
 * that directory. Owned by the endpoint's thread.
 */
final class CurveSecurity implements AutoCloseable {
    private final EndpointConfig config;
    private final Consumer<String> refused;
    private ZMQ.Socket zap;

    /** @param refused told about each client refused (counted as an error of the endpoint) */
    CurveSecurity(EndpointConfig config, Consumer<String> refused) {
        this.config = config;
        this.refused = refused;
    }

    /**
     * Starts the ZAP handler if the endpoint admits only listed clients; before the socket exists, so
     * every handshake consults it.
     */
    void start(ZContext context) {
        if (config.curve() != null && config.bind() && config.curve().clients() != null) {
            zap = context.createSocket(SocketType.REP);
            zap.setLinger(0);
            zap.bind("inproc://zeromq.zap.01");
        }
    }

    /** Gives the socket its keys: a binding socket is the CURVE server, a connecting one a client. */
    void apply(ZMQ.Socket socket) {
        if (config.curve() == null) {
            return;
        }
        ZCert keys = CurveKeys.keyPair(config.curve().keypair());
        socket.setCurvePublicKey(keys.getPublicKey());
        socket.setCurveSecretKey(keys.getSecretKey());
        if (config.bind()) {
            socket.setCurveServer(true);
        } else {
            socket.setCurveServerKey(CurveKeys.publicKey(config.curve().serverKey()));
        }
    }

    /** The ZAP handler's socket to poll, or null. */
    ZMQ.Socket zap() {
        return zap;
    }

    /** ZAP (ZeroMQ RFC 27): allow a CURVE client whose public key has a certificate in curve.clients. */
    void answer() {
        List<byte[]> req = new ArrayList<>();
        for (byte[] part = zap.recv(ZMQ.DONTWAIT); part != null; part = zap.hasReceiveMore() ? zap.recv(0) : null) {
            req.add(part);
        }
        if (req.size() < 7) {
            reply(req.size() > 1 ? req.get(1) : new byte[0], "500", "malformed ZAP request", "");
            return;
        }
        String mechanism = new String(req.get(5), StandardCharsets.UTF_8);
        String address = new String(req.get(3), StandardCharsets.UTF_8);
        byte[] key = req.get(6);
        String z85 = key.length == ZMQ.Curve.KEY_SIZE ? ZMQ.Curve.z85Encode(key) : "";
        boolean allowed = mechanism.equals("CURVE") && !z85.isEmpty()
                && CurveKeys.publicKeysIn(config.curve().clients()).contains(z85);
        if (!allowed) {
            refused.accept("refused CURVE client " + (z85.isEmpty() ? "without key" : z85) + " from " + address
                    + " (its public certificate is not in " + config.curve().clients() + ")");
        }
        reply(req.get(1), allowed ? "200" : "400", allowed ? "OK" : "client key not allowed", allowed ? z85 : "");
    }

    private void reply(byte[] requestId, String status, String text, String userId) {
        zap.sendMore("1.0");
        zap.sendMore(requestId);
        zap.sendMore(status);
        zap.sendMore(text);
        zap.sendMore(userId);
        zap.send(new byte[0]);
    }

    @Override
    public void close() {
        if (zap != null) {
            zap.close();
            zap = null;
        }
    }
}
