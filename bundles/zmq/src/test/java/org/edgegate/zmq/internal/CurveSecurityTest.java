package org.edgegate.zmq.internal;

import org.edgegate.zmq.socket.HandshakeWatch;
import org.edgegate.zmq.socket.CurveKeys;
import org.edgegate.kernel.ConnectorLog;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Reading;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

/** curve.clients through JeroMQ's ZAuth actor, on real sockets over loopback. */
public class CurveSecurityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ZMQ.Context ctx = ZMQ.context(1);
    private EndpointWorker worker;
    private ZMQ.Socket sub;

    @After
    public void tearDown() {
        if (worker != null) {
            worker.stop();
        }
        if (sub != null) {
            sub.close();
        }
        ctx.term();
    }

    /**
     * A file in curve.clients that is not a certificate is skipped, not a reason to refuse everyone (JeroMQ's
     * ZCertStore would stop at it); the listed client is served; stopping ends the ZAuth actor's thread.
     */
    @Test
    public void aStrayFileRefusesNobodyAndStoppingEndsTheAuthThread() throws IOException {
        Path etc = tmp.getRoot().toPath();
        ZCert server = CurveKeys.generate(etc.resolve("zmq"), "edgegate");
        Path clients = Files.createDirectories(etc.resolve("zmq/clients"));
        Files.writeString(clients.resolve("README"), "put the .key files of allowed clients here\n  = nonsense\n",
                StandardCharsets.UTF_8);
        ZCert viewer = CurveKeys.generate(clients, "viewer");
        int port = Wait.freePort();
        worker = new EndpointWorker(EndpointSettings.parse(Map.of("id", "zauth", "address", "tcp://127.0.0.1:" + port,
                "curve", "true", "curve.keypair", etc.resolve("zmq/edgegate.key_secret").toString(),
                "curve.clients", clients.toString())), () -> null, ConnectorLog.NONE);
        worker.start();
        Wait.until("open", 5000, () -> worker.health().state() == HealthState.OPEN);
        assertTrue("the ZAuth actor runs as the endpoint's thread", threadRuns("edgegate-zmq-zauth-zauth"));

        sub = ctx.socket(SocketType.SUB);
        sub.setLinger(0);
        sub.setHandshakeIvl(EndpointWorker.HANDSHAKE_MILLIS);
        sub.setCurvePublicKey(viewer.getPublicKey());
        sub.setCurveSecretKey(viewer.getSecretKey());
        sub.setCurveServerKey(server.getPublicKey());
        sub.setReceiveTimeOut(50);
        sub.connect("tcp://127.0.0.1:" + port);
        sub.subscribe("".getBytes());
        byte[] topic = Wait.until("the listed client to be served (" + worker.statistics() + ")", 10_000, () -> {
            try (ZMQ.Socket nudge = ctx.socket(SocketType.PAIR)) {
                nudge.bind("tcp://127.0.0.1:*"); // see HandshakeWatch: a JeroMQ client may forget its connection
            }
            worker.outbox().offerEvent(new Reading("th", 1, Instant.now(), Map.of("T", 25L), Map.of(), "T-25"));
            return sub.recv(0);
        });
        assertEquals("sensor/th", new String(topic, StandardCharsets.UTF_8));
        assertEquals(worker.statistics().toString(), 0, worker.statistics().errors());

        worker.stop();
        assertEquals(HealthState.STOPPED, worker.health().state());
        Wait.until("no endpoint thread left, the ZAuth actor's included", 5000, () -> !threadRuns("edgegate-zmq-zauth"));
        worker = null;
    }

    private static boolean threadRuns(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }
}
