package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;

/**
 * Promises of docs/http.md and docs/metrics.md no other test keeps: more than {@code maxStreams} MJPEG clients get
 * 503 with {@code Retry-After}, and a freed place is taken again; a stream ends when its camera's configuration is
 * deleted, every stream when the bundle stops; {@code /metrics} with {@code require.login = false} answers without
 * credentials; other addresses get 403, with a login too, until {@code allow.remote}. Clients log in with the
 * streams' token and the metrics' bearer token.
 */
@ExamReactorStrategy(PerClass.class)
public class PromisesHttpIT extends GatewayTestSupport {
    private static final String HTTP = "org.edgegate.http";
    private static final String METRICS = "org.edgegate.metrics";
    private static final Duration T = Duration.ofSeconds(60);
    private static final String TOKEN = UUID.randomUUID().toString().replace("-", "");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Stream> streams = new ArrayList<>();
    private final List<Configuration> configurations = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        streams.forEach(Stream::close);
        for (Configuration c : configurations) {
            c.delete();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + path;
    }

    private void streamSettings(int maxStreams) throws Exception {
        configure(HTTP, Map.of("token", TOKEN, "maxStreams", maxStreams));
    }

    /** An open MJPEG response, read on a thread of its own that notes the bytes and the end. */
    private final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final AtomicLong bytes = new AtomicLong();
        final AtomicBoolean ended = new AtomicBoolean();

        Stream(String camera) throws Exception {
            response = http.send(HttpRequest.newBuilder(URI.create(url("/edgegate/cameras/" + camera + "/stream.mjpg")))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
            streams.add(this);
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = response.body()) {
                    for (int n; (n = in.read(buffer)) >= 0;) {
                        bytes.addAndGet(n);
                    }
                } catch (IOException closed) {
                    // closed by the test, or cut by the server: ended either way
                }
                ended.set(true);
            }, "promises-stream-" + camera);
            reader.setDaemon(true);
            reader.start();
        }

        int status() {
            return response.statusCode();
        }

        void awaitFrames(String what) {
            long from = bytes.get();
            await(what + " still streaming", T, () -> bytes.get() > from + 1000 && !ended.get());
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** A stream of the camera once the settings apply (they do asynchronously): 200 and frames. */
    private Stream awaitStream(String camera) {
        Stream[] got = new Stream[1];
        await("a stream of " + camera, T, () -> {
            try {
                Stream s = new Stream(camera);
                if (s.status() == 200) {
                    got[0] = s;
                    return true;
                }
                s.close();
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        got[0].awaitFrames(camera);
        return got[0];
    }

    @Test
    public void moreThanMaxStreamsGet503WithRetryAfter() throws Exception {
        streamSettings(2);
        Stream first = awaitStream("demo");
        Stream second = awaitStream("demo");
        Stream third = new Stream("demo");
        assertEquals("the third of maxStreams 2", 503, third.status());
        String retry = third.response.headers().firstValue("Retry-After").orElse("");
        assertTrue("Retry-After: '" + retry + "'", retry.matches("[1-9][0-9]*"));
        first.awaitFrames("the first");
        second.awaitFrames("the second");

        first.close(); // a place frees up: the next client is served
        Stream again = awaitStream("demo");
        assertEquals(200, again.status());
        assertEquals("still at most two", 503, new Stream("demo").status());
    }

    @Test
    public void aStreamEndsWithItsCameraAndEveryStreamWithTheBundle() throws Exception {
        streamSettings(16);
        Configuration camera = createFactoryConfiguration("org.edgegate.camera", "hc", Map.of("id", "hc", "source",
                "pattern:", "width", 160, "height", 120, "fps", 10, "enabled", true));
        configurations.add(camera);
        Stream hc = awaitStream("hc");
        Stream demo = awaitStream("demo");

        configurations.remove(camera);
        camera.delete();
        await("the stream of the deleted camera ended", T, hc.ended::get);
        demo.awaitFrames("another camera's stream");

        Stream demo2 = awaitStream("demo");
        Bundle bundle = bundleNamed(HTTP);
        bundle.stop();
        try {
            await("every stream ended with the bundle", T, () -> demo.ended.get() && demo2.ended.get());
        } finally {
            bundle.start();
        }
        awaitStream("demo"); // and served again once it is back
    }

    @Test
    public void metricsWithoutLoginWhenRequireLoginIsOff() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/metrics"))).build();
        await("/metrics answering 401 without a login", T, () -> status(request) == 401);

        configure(METRICS, Map.of("require.login", false));
        await("/metrics served without credentials", T, () -> status(request) == 200);
        String body = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        assertTrue(body.substring(0, Math.min(500, body.length())), body.contains("edgegate_up{"));

        configure(METRICS, Map.of("require.login", false, "allow.remote", true));
        await("still served on loopback with allow.remote", T, () -> status(request) == 200);
        configure(METRICS, Map.of("require.login", true));
        await("a login wanted again", T, () -> status(request) == 401);
    }

    /**
     * docs/metrics.md: "Loopback only by default: other addresses get 403 even with a login. allow.remote = true
     * answers any address." The other address is this machine's own non-loopback one, as the source of a
     * connection to 127.0.0.1 (the target stays loopback; the server sees the other address).
     */
    @Test
    public void metricsRefuseOtherAddressesUnlessAllowRemote() throws Exception {
        InetAddress other = nonLoopbackAddress();
        String token = UUID.randomUUID().toString();
        configure(METRICS, Map.of(".bearer.token", token));
        String bearer = "Bearer " + token;
        awaitLogin("/metrics with the bearer token from loopback", T, () -> metricsStatus(null, bearer));
        assertEquals("from " + other.getHostAddress() + " even with a login", 403, metricsStatus(other, bearer));

        configure(METRICS, Map.of(".bearer.token", token, "require.login", false));
        await("served without login on loopback", T, () -> metricsStatus(null, null) == 200);
        assertEquals("still loopback only without login", 403, metricsStatus(other, null));

        configure(METRICS, Map.of(".bearer.token", token, "require.login", false, "allow.remote", true));
        await("allow.remote answers " + other.getHostAddress(), T, () -> metricsStatus(other, null) == 200);
        configure(METRICS, Map.of("require.login", true));
        await("a login wanted again", T, () -> metricsStatus(null, null) == 401);
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to connect to /metrics from");
    }

    /** GET /metrics from {@code from} (null: loopback) to 127.0.0.1; the status code, -1 when it failed. */
    private int metricsStatus(InetAddress from, String authorization) {
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(context.getProperty("org.osgi.service.http.port"))), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
