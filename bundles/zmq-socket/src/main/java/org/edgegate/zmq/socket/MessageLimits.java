package org.edgegate.zmq.socket;

import org.edgegate.api.state.StateKeys;
import org.zeromq.ZMQ;

import zmq.msg.MsgAllocatorHeap;

/**
 * The largest message each EdgeGate socket reads from a peer (ZMQ_MAXMSGSIZE), set before bind or
 * connect. JeroMQ's decoder checks a frame's announced size against it before it allocates anything; over it,
 * the connection is closed. Without it, a 9-byte frame header announcing 200 MB made the I/O thread allocate
 * 200 MB of direct memory for that one connection ({@code OutOfMemoryError: Cannot reserve … direct buffer
 * memory} killed it, and with it every connection of the endpoint). The same check covers the handshake's
 * commands (READY, CURVE's HELLO and INITIATE), which are decoded as frames too.
 *
 * <p>Received messages are kept on the Java heap ({@link MsgAllocatorHeap}); JeroMQ's own default puts any
 * message over 1 MiB in direct memory, which is smaller than the heap and not what the JVM's limits size.
 */
public final class MessageLimits {
    /**
     * What a peer legitimately sends a socket that serves it: a subscription ({@code 1 + "state/" + key}, a
     * key of at most {@link StateKeys#MAX_LENGTH} characters of up to 3 UTF-8 bytes), a hub's reply
     * ({@code OK}), a handshake command with its metadata. Nothing else a peer sends these sockets is read.
     */
    public static final long PEER_BYTES = 4096;
    /**
     * A state request up to this many times {@code max.request}, or up to {@link #REQUEST_FLOOR}, is read and
     * answered with an error; a longer one is not legitimate, and is cut off.
     */
    public static final long REQUEST_FACTOR = 4;
    public static final long REQUEST_FLOOR = 64 << 10;
    /** edgegate-receive's frames: a 3840x2160 raw BGR frame is 25 MB. */
    public static final long RECEIVED_FRAME_BYTES = 64L << 20;

    private static final MsgAllocatorHeap HEAP = new MsgAllocatorHeap();

    static {
        assert PEER_BYTES > 1 + "state/".length() + 3L * StateKeys.MAX_LENGTH;
    }

    private MessageLimits() {
    }


    /** Sets the limit and the heap allocator; call before bind or connect (a connection takes the options then). */
    public static void apply(ZMQ.Socket socket, long maxBytes) {
        socket.setMaxMsgSize(maxBytes);
        socket.setMsgAllocator(HEAP);
    }
}
