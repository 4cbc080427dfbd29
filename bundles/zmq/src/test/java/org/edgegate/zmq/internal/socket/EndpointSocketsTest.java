package org.edgegate.zmq.internal.socket;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

import org.edgegate.kernel.ConnectorLog;
import org.junit.Test;
import org.zeromq.SocketType;

import zmq.ZError;

public class EndpointSocketsTest {
    /**
     * RuntimeProcessIT once found a warning at shutdown: JeroMQ's termination acknowledged to a mailbox that
     * was closed already. While the context closes that is debug; before, the same exception is a warning.
     */
    @Test
    public void whatJeroMqCatchesWhileTheContextClosesIsNoWarning() throws IOException {
        List<String> lines = new ArrayList<>();
        ConnectorLog log = ConnectorLog.of((f, a) -> lines.add("INFO"), (f, a) -> lines.add("WARN"),
                (f, a) -> lines.add("DEBUG"));
        try (WakePipe wake = new WakePipe()) {
            EndpointSockets sockets = new EndpointSockets(new SocketOptions(SocketType.PUB, "tcp://127.0.0.1:0", true,
                    10, 4096, 4, null), wake, "t", log, problem -> { }, true);
            sockets.open();
            ZError.IOException closed = new ZError.IOException(new ClosedChannelException());
            sockets.notified(closed);
            sockets.close();
            sockets.notified(closed);
        }
        assertEquals(List.of("WARN", "DEBUG"), lines.subList(lines.size() - 2, lines.size()));
    }
}
