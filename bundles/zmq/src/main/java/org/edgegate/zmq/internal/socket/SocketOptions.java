package org.edgegate.zmq.internal.socket;

import java.nio.file.Path;

import org.zeromq.SocketType;

/**
 * What the sockets of one endpoint are opened with: the part of the endpoint's checked settings this room needs.
 *
 * @param type            the socket type asked for (a PUB is opened as XPUB, to see subscriptions)
 * @param maxInboundBytes the largest message a peer may send, see {@link org.edgegate.zmq.socket.MessageLimits}
 * @param maxConnections  the peers a binding socket serves at once ({@link ConnectionGuard})
 * @param curve           null when CURVE is off
 */
public record SocketOptions(SocketType type, String address, boolean bind, int hwm, long maxInboundBytes,
        int maxConnections, Curve curve) {

    /**
     * CURVE settings, paths resolved against {@code etc/}. {@code clients} is null when any client may connect;
     * {@code serverKey} is a Z85 key or a file, empty for a binding endpoint.
     */
    public record Curve(Path keypair, Path clients, String serverKey) {
    }
}
