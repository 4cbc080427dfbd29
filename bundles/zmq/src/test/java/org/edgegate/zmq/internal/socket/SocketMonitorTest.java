package org.edgegate.zmq.internal.socket;

import org.edgegate.zmq.socket.HandshakeWatch;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A watch or guard that stops reading its socket's monitor must not leave the context's I/O thread blocked
 * writing that socket's next event (JeroMQ's monitor send blocks): the I/O thread must go on serving every
 * socket of the context. A peer made of plain Java sockets raises the events at a chosen moment.
 */
public class SocketMonitorTest {
    private static final int PATIENCE_MILLIS = 5_000;

    private final ZMQ.Context ctx = ZMQ.context(1);
    private final List<AutoCloseable> open = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        // a context whose I/O thread hangs never terminates: do not let that hang the build too
        Thread term = new Thread(ctx::term, "test-context-term");
        term.setDaemon(true);
        term.start();
        term.join(PATIENCE_MILLIS);
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private ZMQ.Socket socket(SocketType type) {
        ZMQ.Socket s = keep(ctx.socket(type));
        s.setLinger(0);
        return s;
    }

    @Test
    public void aClosedHandshakeWatchLeavesTheIoThreadServing() throws IOException {
        ServerSocket server = keep(new ServerSocket(0, 4, InetAddress.getLoopbackAddress()));
        server.setSoTimeout(PATIENCE_MILLIS);
        ZMQ.Socket req = socket(SocketType.REQ);
        HandshakeWatch watch = new HandshakeWatch(ctx, req);
        req.connect("tcp://127.0.0.1:" + server.getLocalPort());
        Socket first = server.accept();

        watch.close();
        first.close(); // the connection drops: JeroMQ raises DISCONNECTED (then mostly reconnects)

        // JeroMQ does not always reconnect a connection dropped during the ZMTP greeting, so the proof that
        // the I/O thread still serves is any connection it makes: the reconnection, or a new socket's
        server.setSoTimeout(1_000);
        try (Socket again = server.accept()) {
            assertTrue(again.isConnected());
            return;
        } catch (SocketTimeoutException noReconnection) {
            // a fresh socket of the same context (one I/O thread) must still get connected
        }
        ServerSocket probe = keep(new ServerSocket(0, 4, InetAddress.getLoopbackAddress()));
        probe.setSoTimeout(PATIENCE_MILLIS);
        socket(SocketType.DEALER).connect("tcp://127.0.0.1:" + probe.getLocalPort());
        try (Socket connected = probe.accept()) {
            assertTrue(connected.isConnected());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the I/O thread stopped after the watch closed: no connection in "
                    + PATIENCE_MILLIS + " ms", e);
        }
    }

    @Test
    public void aClosedConnectionGuardLeavesTheIoThreadServing() throws IOException {
        ZMQ.Socket rep = socket(SocketType.REP);
        ConnectionGuard guard = new ConnectionGuard(ctx, rep, 8, problem -> { });
        int port = rep.bindToRandomPort("tcp://127.0.0.1");
        Socket first = keep(new Socket(InetAddress.getLoopbackAddress(), port));
        assertGreets(first);

        guard.close();
        first.close(); // JeroMQ raises DISCONNECTED for it

        try (Socket second = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertGreets(second); // accepted and greeted by the I/O thread
        }
    }

    /** The first byte of a ZMTP greeting (0xFF) arrives: the I/O thread took the connection. */
    private static void assertGreets(Socket peer) throws IOException {
        peer.setSoTimeout(PATIENCE_MILLIS);
        InputStream in = peer.getInputStream();
        try {
            assertEquals("ZMTP greeting", 0xFF, in.read());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no greeting in " + PATIENCE_MILLIS + " ms: the I/O thread stopped", e);
        }
    }
}
