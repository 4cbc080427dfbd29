package org.edgegate.zmq.internal.socket;

import org.edgegate.zmq.socket.CurveKeys;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.Consumer;

import org.zeromq.ZAuth;
import org.zeromq.ZCert;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * CURVE for one endpoint's socket: its key pair, the server's key for a connecting socket and, for a
 * binding one with {@code curve.clients}, JeroMQ's {@link ZAuth} actor answering the socket's ZAP requests
 * so that only clients with a certificate in that directory get in. Owned by the endpoint's thread.
 */
final class CurveSecurity implements AutoCloseable {
    private final SocketOptions settings;
    private final Consumer<String> refused;
    private ZAuth auth;

    /** @param refused told about each client refused (counted as an error of the endpoint) */
    CurveSecurity(SocketOptions settings, Consumer<String> refused) {
        this.settings = settings;
        this.refused = refused;
    }

    /**
     * Starts the ZAuth actor (its thread is named {@code threadName}) if the endpoint admits only listed
     * clients; before the socket exists, so every handshake consults it.
     */
    void start(ZContext context, String threadName) {
        if (settings.curve() == null || !settings.bind() || settings.curve().clients() == null) {
            return;
        }
        Path clients = settings.curve().clients();
        auth = new ZAuth(context, threadName, Map.of(
                ZMQ.Socket.Mechanism.CURVE.name(), new ListedClients(refused),
                // the actor ends on a mechanism it has no entry for; our CURVE socket never sends NULL
                ZMQ.Socket.Mechanism.NULL.name(), new ZAuth.SimpleNullAuth()));
        auth.configureCurve(clients.toAbsolutePath().toString());
    }

    /** Gives the socket its keys: a binding socket is the CURVE server, a connecting one a client. */
    void apply(ZMQ.Socket socket) {
        if (settings.curve() == null) {
            return;
        }
        ZCert keys = CurveKeys.keyPair(settings.curve().keypair());
        socket.setCurvePublicKey(keys.getPublicKey());
        socket.setCurveSecretKey(keys.getSecretKey());
        if (settings.bind()) {
            socket.setCurveServer(true);
        } else {
            socket.setCurveServerKey(CurveKeys.publicKey(settings.curve().serverKey()));
        }
    }

    /** Ends the ZAuth actor and waits for its thread. */
    @Override
    public void close() {
        if (auth != null) {
            auth.close();
            auth = null;
        }
    }

    /**
     * ZAuth's CURVE check with our reading of the directory instead of its {@code ZCertStore}, which fails
     * on the first file that is not a certificate (refusing everyone) and creates a missing directory; this
     * one skips such files, re-reads the directory at each connection and names whom it refused. Runs on the
     * actor's thread.
     */
    private static final class ListedClients implements ZAuth.Auth {
        private final Consumer<String> refused;
        private volatile Path dir;

        ListedClients(Consumer<String> refused) {
            this.refused = refused;
        }

        @Override
        public boolean configure(ZMsg msg, boolean verbose) {
            dir = Paths.get(msg.popString());
            return true;
        }

        @Override
        public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
            String key = request.clientKey;
            boolean allowed;
            try {
                allowed = key != null && CurveKeys.publicKeysIn(dir).contains(key);
            } catch (RuntimeException e) {
                allowed = false; // never let the actor's thread die: it alone answers the handshakes
            }
            if (allowed) {
                request.userId = key;
            } else {
                refused.accept("refused CURVE client " + (key == null ? "without key" : key) + " from "
                        + request.address + " (its public certificate is not in " + dir + ")");
            }
            return allowed;
        }
    }
}
