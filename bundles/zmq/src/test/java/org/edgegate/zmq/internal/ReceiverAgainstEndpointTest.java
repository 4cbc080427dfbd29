package org.edgegate.zmq.internal;

import org.edgegate.zmq.socket.HandshakeWatch;
import org.edgegate.kernel.ConnectorLog;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.edgegate.api.health.HealthState;
import org.edgegate.receiver.Receiver;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.google.gson.JsonObject;
import org.edgegate.zmq.internal.wire.WireFormat;
import org.edgegate.zmq.internal.wire.Json;

/** edgegate-receive (bundles/receiver) against the endpoints it is made for. */
public class ReceiverAgainstEndpointTest {
    private static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, 5, (byte) 0xFF, (byte) 0xD9 };

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void printsReadingsAndStateAndReportsCameraRatesAndLatency() throws Exception {
        Path frames = tmp.newFolder("frames").toPath();
        Receiver r = new Receiver(out, false, frames);
        WireFormat.Native f = new WireFormat.Native(false);
        r.handle(List.of(f.encode(new Reading("th", 1, Instant.now(), Map.of("T", 25L), Map.of("T", "°C"), "T-25"))),
                System.currentTimeMillis());
        r.handle(List.of(f.encode(StateChange.written(new StateEntry("camera/0/enabled", false, 3, 1L)))), 0);
        long now = System.currentTimeMillis();
        for (int seq = 1; seq <= 10; seq++) {
            if (seq == 5) {
                continue; // one frame lost on the way
            }
            r.handle(List.of(f.encode(new TestFrame("0", seq, Instant.ofEpochMilli(now - 4), 0, JPEG))), now);
        }
        r.handle(List.of("camera/x".getBytes(), "{\"camera\":\"x\"}".getBytes(), new byte[0]), now);
        r.handle(List.of("sensor/y".getBytes(), "[1".getBytes()), now);
        r.report();
        String o = output();
        assertTrue(o, o.contains("camera/x (not a native message"));
        assertTrue(o, o.contains("sensor/y (header not JSON"));
        assertTrue(o, o.contains("sensor/th #1 T=25 °C"));
        assertTrue(o, o.contains("state/camera/0/enabled = false (v3)"));
        assertTrue(o, o.contains("camera/0 4x2   9.0 fps  latency 4.0 ms (max 4.0)"));
        assertTrue(o, o.contains("lost 1"));
        assertArrayEquals(JPEG, Files.readAllBytes(frames.resolve("0.jpg")));
    }

    @Test
    public void receivesALiveStreamAndSummarises() throws Exception {
        int port = Wait.freePort();
        EndpointWorker w = new EndpointWorker(EndpointSettings.parse(Map.of("id", "rx", "address",
                "tcp://127.0.0.1:" + port)), () -> null, ConnectorLog.NONE);
        w.start();
        Wait.until("the endpoint to bind", 5000, () -> w.health().state() == HealthState.OPEN);
        AtomicInteger code = new AtomicInteger(-1);
        Thread receiver = new Thread(() -> {
            try {
                code.set(Receiver.run(new String[] { "tcp://127.0.0.1:" + port, "--duration", "5", "--quiet",
                        "--json" }, out));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        receiver.start();
        try {
            long seq = 0;
            while (receiver.isAlive()) {
                w.offerFrame(new TestFrame("cam", ++seq, JPEG));
                Thread.sleep(10);
            }
        } finally {
            receiver.join(5000);
            w.stop();
        }
        assertEquals(0, code.get());
        String o = output();
        assertTrue(o, o.contains("summary: "));
        assertTrue(o + w.statistics() + w.health(), o.contains("summary camera/cam: "));
        assertTrue(o, o.contains("\"bench\":\"edgegate-receive\""));
    }

    /**
     * Issue 8: a JeroMQ 0.6 subscriber was sometimes never served (its I/O thread forgot the connection; see
     * HandshakeWatch). 200 subscribers connect one after another to a PUB endpoint publishing a reading
     * every 100 ms: every one is served, no connection was left to the handshake limit (which drops a
     * forgotten one before its greeting), and none waited anywhere near the 30 s JeroMQ would leave it.
     */
    @Test
    public void everySubscriberConnectingInTurnIsServed() throws Exception {
        int port = Wait.freePort();
        EndpointWorker w = new EndpointWorker(EndpointSettings.parse(Map.of("id", "connects", "address",
                "tcp://127.0.0.1:" + port)), () -> null, ConnectorLog.NONE);
        w.start();
        Wait.until("the endpoint to bind", 5000, () -> w.health().state() == HealthState.OPEN);
        Thread sensor = new Thread(() -> {
            for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
                w.outbox().offerEvent(new Reading("th", seq, Instant.now(), Map.of("T", 25L), Map.of(), "T-25"));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sensor.start();
        int code;
        try {
            code = Receiver.run(new String[] { "tcp://127.0.0.1:" + port, "--topics", "sensor/", "--connects",
                    "200", "--json" }, out);
        } finally {
            sensor.interrupt();
            sensor.join();
            w.stop();
        }
        String o = output();
        assertEquals(o, 0, code);
        assertTrue(o, o.contains("connects: 200 subscribers (watched)"));
        assertTrue(o, o.contains(", 0 never served"));
        JsonObject summary = Json.parseObject(o.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals(o, 0, summary.get("never").getAsInt());
        assertEquals(o, 0, summary.get("dropped_before_greeting").getAsInt());
        assertTrue(o, summary.get("max_ms").getAsDouble() < 5 * EndpointWorker.HANDSHAKE_MILLIS);
    }
}
