package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Issue 18's probes of the state, configuration ids and the CLI socket, against the gateway as shipped:
 * {@code bin/edgegate} with its default JVM options (the heap an operator gets), driven over its real
 * state endpoint, {@code etc/}, {@code bin/edgegate-cli} and {@code /metrics}. Each failed on the
 * gateway before the limits: the fill ended the JVM, the huge id made every status line and the first
 * scrape megabytes long, four idle connections locked the CLI out.
 */
public class HostileInputIT {
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;

    private RuntimeProcess gateway;
    private ZMQ.Context zmq;

    @After
    public void stop() throws Exception {
        if (zmq != null) {
            zmq.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A copy of the runtime whose default endpoints are on free ports (other tests run beside us). */
    private RuntimeProcess gateway(String name) throws Exception {
        gateway = new RuntimeProcess("HostileInputIT-" + name);
        for (String endpoint : List.of("native", "state")) {
            Path cfg = gateway.home().resolve("etc/org.edgegate.zmq.endpoint-" + endpoint + ".cfg");
            Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^address = .*$",
                    "address = tcp://127.0.0.1:" + GatewayTestSupport.freePort()));
        }
        return gateway;
    }

    private String stateAddress() throws Exception {
        Properties cfg = new Properties();
        try (Reader r = Files.newBufferedReader(gateway.home().resolve("etc/org.edgegate.zmq.endpoint-state.cfg"))) {
            cfg.load(r);
        }
        return cfg.getProperty("address");
    }

    @Test
    public void fillingTheStateIsRefusedInTimeAndLosesNoAcknowledgedWrite() throws Exception {
        gateway("fill").start();
        zmq = ZMQ.context(1);
        String address = stateAddress();
        List<Integer> acknowledged = new ArrayList<>();
        int refused = 0;
        try (ZMQ.Socket req = requester(address)) {
            for (int i = 0; i < 600; i++) {
                JsonObject reply = ask(req, "{\"op\":\"put\",\"key\":\"fill/" + i + "\",\"value\":\"" + value(i) + "\"}");
                if (reply.get("ok").getAsBoolean()) {
                    acknowledged.add(i);
                } else {
                    refused++;
                    String error = reply.get("error").getAsString();
                    assertTrue(error, error.contains("maxBytes") || error.contains("maxEntries"));
                    assertTrue("a short error: " + error.length(), error.length() < 400);
                }
            }
            assertFalse("some writes were acknowledged", acknowledged.isEmpty());
            // read back while the snapshot of the full state is written (it once took the heap several times)
            for (int i : acknowledged) {
                assertEquals("fill/" + i, value(i), ask(req, get(i)).get("value").getAsString());
            }
            GatewayTestSupport.await("the snapshot written", TIMEOUT, () -> Files.exists(snapshot())
                    && snapshotSize() > acknowledged.size() * 60_000L);
            assertEquals("fill/0 read after the snapshot", value(0), ask(req, get(0)).get("value").getAsString());
            assertTrue("the gateway still runs:\n" + tail(gateway.consoleText()), gateway.process().isAlive());
            assertTrue("the state said no before the heap did", refused > 0);
        }
        RuntimeProcess.Result status = gateway.cli("gw:status");
        assertEquals(status.output(), 0, status.status());
        assertTrue(status.output(), status.output().contains("Warnings:")
                && status.output().contains("state shared: ") && status.output().contains("% of maxBytes used"));

        // stopped cleanly and started again: every acknowledged write is still there
        gateway.process().destroy();
        assertTrue("stopped on SIGTERM", gateway.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        gateway.start();
        try (ZMQ.Socket req = requester(address)) {
            for (int i : acknowledged) {
                assertEquals("fill/" + i + " after a restart", value(i), ask(req, get(i)).get("value").getAsString());
            }
        }
    }

    @Test
    public void aCameraWithAFiveMegabyteIdFailsShortlyAndTheGatewayKeepsServing() throws Exception {
        gateway("huge-id");
        String token = UUID.randomUUID().toString();
        Files.writeString(gateway.home().resolve("etc/org.edgegate.metrics.cfg"), ".bearer.token = " + token + "\n");
        String id = "c".repeat(5 * 1024 * 1024);
        Files.writeString(gateway.home().resolve("etc/org.edgegate.camera-huge.cfg"),
                "id = " + id + "\nsource = pattern\n");
        gateway.start();
        String status = GatewayTestSupport.awaitValue("the huge camera listed as FAILED", TIMEOUT, () -> {
            RuntimeProcess.Result r = gateway.cli("gw:status");
            return r.status() == 0 && r.output().contains("FAILED") && r.output().contains("camera") ? r.output() : null;
        });
        assertTrue("gw:status stays short: " + status.length() + " characters", status.length() < 20_000);
        assertTrue(status, status.contains("id") && status.contains("64"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue("no label holds the raw id: " + metrics.body().length() + " characters",
                metrics.body().length() < 200_000 && !metrics.body().contains("c".repeat(100)));
        assertTrue(metrics.body(), metrics.body().contains("kind=\"camera\""));
        assertTrue("the gateway still runs:\n" + gateway.consoleText(), gateway.process().isAlive());
        long log = Files.size(gateway.home().resolve("data/log/edgegate.log"));
        assertTrue("the log holds no megabyte id: " + log + " bytes", log < 1_000_000);
    }

    @Test
    public void idleConnectionsDoNotLockTheCliOut() throws Exception {
        gateway("idle-cli").start();
        Path socket = gateway.home().resolve("data/cli.sock");
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(socket));
                idle.add(c);
            }
            RuntimeProcess.Result status = gateway.cli("gw:status");
            assertEquals(status.output(), 0, status.status());
            assertTrue(status.output(), status.output().contains("Bundles"));
            // and the idle ones are closed by the gateway after its read timeout
            for (SocketChannel c : idle) {
                GatewayTestSupport.await("an idle CLI connection closed by the gateway", TIMEOUT,
                        () -> readsEndOfStream(c));
            }
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        RuntimeProcess.Result unknown = gateway.cli("no:such-command");
        assertEquals(unknown.output(), 1, unknown.status());
        assertFalse("no stack trace: " + unknown.output(), unknown.output().contains("\tat "));
    }

    private Path snapshot() {
        return gateway.home().resolve("data/state/state.snapshot");
    }

    private long snapshotSize() {
        try {
            return Files.size(snapshot());
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static boolean readsEndOfStream(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(64)) < 0;
        } catch (java.io.IOException closed) {
            return true;
        }
    }

    private ZMQ.Socket requester(String address) {
        ZMQ.Socket req = zmq.socket(SocketType.REQ);
        req.setReceiveTimeOut(20_000);
        req.setLinger(0);
        req.connect(address);
        return req;
    }

    private JsonObject ask(ZMQ.Socket req, String request) {
        assertTrue(req.send(request));
        String reply = req.recvStr();
        if (reply == null) {
            throw new AssertionError("no reply from the state endpoint (gateway alive: " + gateway.process().isAlive()
                    + ")\n" + tail(gateway.consoleText()));
        }
        return JsonParser.parseString(reply).getAsJsonObject();
    }

    private static String get(int i) {
        return "{\"op\":\"get\",\"key\":\"fill/" + i + "\"}";
    }

    /** 60,000 characters, different for every key. */
    private static String value(int i) {
        return String.format("%05d", i) + "x".repeat(60_000 - 5);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
