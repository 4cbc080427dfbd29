package org.edgegate.zmq.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgegate.api.health.HealthState;
import org.edgegate.kernel.ConnectorLog;
import org.junit.After;
import org.junit.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Issue 18: an endpoint whose JeroMQ thread died says so and rebuilds itself; a bound on its connections. */
public class EndpointRecoveryTest {
    private static final String GET = "{\"op\":\"get\",\"key\":\"a/b\"}";

    private final ZMQ.Context clients = ZMQ.context(1);
    private final List<ZMQ.Socket> requesters = new ArrayList<>();
    private EndpointWorker worker;

    @After
    public void tearDown() {
        if (worker != null) {
            worker.stop();
        }
        requesters.forEach(ZMQ.Socket::close);
        clients.term();
    }

    private String startStateEndpoint(String id, String maxConnections) throws Exception {
        String address = "tcp://127.0.0.1:" + Wait.freePort();
        worker = new EndpointWorker(EndpointSettings.parse(Map.of("id", id, "mode", "state", "address", address,
                "max.connections", maxConnections)), MemoryState::new, ConnectorLog.NONE);
        worker.start();
        Wait.until(id + " open", 10_000, () -> worker.health().state() == HealthState.OPEN);
        return address;
    }

    private ZMQ.Socket requester(String address, int timeoutMillis) {
        ZMQ.Socket req = clients.socket(SocketType.REQ);
        req.setLinger(0);
        req.setHandshakeIvl(EndpointWorker.HANDSHAKE_MILLIS);
        req.setReceiveTimeOut(timeoutMillis);
        req.connect(address);
        requesters.add(req);
        return req;
    }

    private static String ask(ZMQ.Socket req) {
        assertTrue(req.send(GET));
        return req.recvStr();
    }

    @SuppressWarnings({ "deprecation", "removal" })
    @Test
    public void aDeadIoThreadIsReportedAndTheEndpointRebuildsOnItsPort() throws Exception {
        String address = startStateEndpoint("dying", "64");
        assertTrue(ask(requester(address, 5_000)).contains("\"ok\":true"));
        Thread io = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("edgegate-zmq-dying-iothread")).findFirst().orElseThrow();

        io.stop(); // what an OutOfMemoryError in JeroMQ's poller did: an Error ends the I/O thread
        requester(address, 100).send(GET); // wakes the thread from its select(), where the Error is thrown
        io.join(3_000);
        assertTrue("the I/O thread ended", !io.isAlive());

        // the rebuild can be done before a poll sees RECONNECTING: the recorded error is what must stay
        Wait.until(() -> "the endpoint to report the dead thread, not " + worker.health(), 10_000,
                () -> worker.health().state() == HealthState.RECONNECTING
                        && worker.health().reason().contains(io.getName() + " died")
                        || worker.statistics().lastError() != null
                        && worker.statistics().lastError().contains(io.getName() + " died") ? true : null);
        assertTrue(worker.statistics().lastError(), worker.statistics().lastError().contains("ThreadDeath"));
        Wait.until(() -> "the endpoint open again on its port, not " + worker.health(), 10_000,
                () -> worker.health().state() == HealthState.OPEN ? true : null);
        assertTrue("a client is served by the rebuilt endpoint", ask(requester(address, 5_000)).contains("\"ok\":true"));
    }

    @Test
    public void connectionsBeyondTheBoundAreClosedAndCounted() throws Exception {
        String address = startStateEndpoint("bounded", "2");
        ZMQ.Socket first = requester(address, 5_000);
        ZMQ.Socket second = requester(address, 5_000);
        assertTrue(ask(first).contains("\"ok\":true"));
        assertTrue(ask(second).contains("\"ok\":true"));

        ZMQ.Socket third = requester(address, 1_000);
        assertNull("a third client is not served", ask(third));
        assertTrue(worker.statistics().lastError(),
                worker.statistics().lastError().contains("2 connections already (max.connections)"));
        assertTrue(ask(first).contains("\"ok\":true"));

        for (ZMQ.Socket s : List.of(third, first)) { // the third keeps reconnecting: it would take the place
            s.close();
            requesters.remove(s);
        }
        String reply = Wait.until("a new client served once a connection ended", 10_000, () -> {
            ZMQ.Socket fresh = requester(address, 500);
            String r = ask(fresh);
            if (r == null) {
                fresh.close();
                requesters.remove(fresh);
            }
            return r;
        });
        assertTrue(reply, reply.contains("\"ok\":true"));
        assertEquals(HealthState.OPEN, worker.health().state());
    }
}
