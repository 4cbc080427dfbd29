package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.transport.Endpoint;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * {@code /metrics} of the gateway as shipped (demo sensors and camera, one native endpoint on a free
 * port) scraped over real HTTP, checked by Prometheus' own parser ({@code promtool check metrics}), and
 * its login: the Web Console's user and password (clear and hashed) and a bearer token.
 */
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends GatewayTestSupport {
    private static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith("org.edgegate.zmq.endpoint-"); // our own endpoint below
    }

    @Test
    public void prometheusReadsEverythingTheGatewayCounts() throws Exception {
        createFactoryConfiguration("org.edgegate.zmq.endpoint", "metrics", Map.of("id", "metrics-pub", "mode", "native",
                "address", "tcp://127.0.0.1:" + freePort()));
        awaitService(Endpoint.class, "(id=metrics-pub)", DEFAULT_TIMEOUT);
        // A unit holding the characters the format must escape in a label value.
        createFactoryConfiguration("org.edgegate.serial.sensor", "odd", Map.of("id", "odd", "port", "sim:th?rate=20",
                "parser", "dash", "channels", "T:t:de\"g\\C"));
        Sensor odd = awaitService(Sensor.class, "(id=odd)", DEFAULT_TIMEOUT);
        Sensor th = awaitService(Sensor.class, "(id=th)", DEFAULT_TIMEOUT);
        Camera demo = awaitService(Camera.class, "(id=demo)", DEFAULT_TIMEOUT);
        await("a reading and frames", DEFAULT_TIMEOUT, () -> th.lastReading().isPresent() && odd.lastReading().isPresent() && demo.statistics().frames() > 0);

        String first = awaitValue("/metrics answering", DEFAULT_TIMEOUT, () -> {
            HttpResponse<String> r = get(TestLogin.basic());
            return r.statusCode() == 200 ? r : null;
        }).body();
        for (String expected : new String[] {
                "# TYPE edgegate_sensor_lines_total counter",
                "edgegate_up{kind=\"sensor\",id=\"th\"} 1",
                "edgegate_health_state{kind=\"camera\",id=\"demo\",state=\"OPEN\"} 1",
                "edgegate_sensor_value{sensor=\"th\",channel=\"temperature\",unit=\"°C\"} ",
                "edgegate_sensor_value{sensor=\"odd\",channel=\"t\",unit=\"de\\\"g\\\\C\"} ",
                "edgegate_camera_running{camera=\"demo\"} 1",
                "edgegate_camera_info{camera=\"demo\",source=\"pattern:\",size=\"480x320\",jpeg_path=\"encode\",codec=\"",
                "edgegate_endpoint_info{endpoint=\"metrics-pub\",mode=\"native\",address=\"tcp://127.0.0.1:",
                "edgegate_endpoint_sent_messages_total{endpoint=\"metrics-pub\"} ",
                "edgegate_state_entries ",
                "jvm_memory_used_bytes{area=\"heap\"} ",
                "jvm_threads_current ",
                "jvm_gc_collections_total{gc=\"" }) {
            assertTrue(expected + " in\n" + first, first.contains(expected));
        }
        assertEquals("promtool on\n" + first, "", promtool(first));

        // Counters rise between scrapes.
        long lines = value(first, "edgegate_sensor_lines_total{sensor=\"th\"}");
        long frames = value(first, "edgegate_camera_frames_total{camera=\"demo\"}");
        await("lines and frames rising in /metrics", DEFAULT_TIMEOUT, () -> {
            String next = get(TestLogin.basic()).body();
            return value(next, "edgegate_sensor_lines_total{sensor=\"th\"}") > lines
                    && value(next, "edgegate_camera_frames_total{camera=\"demo\"}") > frames
                    && value(next, "edgegate_state_changes_total") > 0;
        });

        // A stopped camera shows as stopped.
        demo.stop();
        await("camera stopped in /metrics", DEFAULT_TIMEOUT,
                () -> get(TestLogin.basic()).body().contains("edgegate_camera_running{camera=\"demo\"} 0"));
        demo.start();
    }

    @Test
    public void onlyTheConsolesLoginOrTheTokenGetsIn() throws Exception {
        awaitLogin("/metrics answering", DEFAULT_TIMEOUT, () -> get(TestLogin.basic()).statusCode());
        HttpResponse<String> anonymous = send(request().GET().build());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "));
        assertEquals(401, get(basic("admin", "wrong")).statusCode());
        assertEquals(401, get("Bearer anything").statusCode());

        // A token, configured: let in besides the Basic login.
        configure("org.edgegate.metrics", Map.of(".bearer.token", "tok-3n"));
        awaitLogin("the token accepted", DEFAULT_TIMEOUT, () -> get("Bearer tok-3n").statusCode());
        assertEquals(401, get("Bearer tok-3x").statusCode());
        assertEquals(200, get(TestLogin.basic()).statusCode());

        // The console's password changed to its hashed form: the new one works at once, the old one no more.
        String hash = "{sha-256}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("n3w-Secret".getBytes(StandardCharsets.UTF_8)));
        org.osgi.service.cm.Configuration console = configurationAdmin().getConfiguration(CONSOLE_PID, "?");
        Dictionary<String, Object> shipped = console.getProperties();
        try {
            configure(CONSOLE_PID, Map.of("username", "ops", "password", hash));
            awaitLogin("the new password accepted", DEFAULT_TIMEOUT, () -> get(basic("ops", "n3w-Secret")).statusCode());
            assertEquals(401, get(TestLogin.basic()).statusCode());
            assertEquals(401, get(basic("ops", hash)).statusCode());
        } finally {
            console.update(shipped);
            configure("org.edgegate.metrics", Map.of());
            awaitLogin("the shipped login back", DEFAULT_TIMEOUT, () -> get(TestLogin.basic()).statusCode());
        }
    }

    private static long value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port")
                + "/metrics")).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String authorization) {
        return send(request().header("Authorization", authorization).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(request.uri() + ": " + e, e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code promtool check metrics} on the text: its complaints, "" when none. */
    static String promtool(String text) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            throw new AssertionError("promtool is missing: install Debian's prometheus package (./test does)");
        }
        Command.Result r = Command.run(Duration.ofSeconds(60), null, Map.of(), text.getBytes(StandardCharsets.UTF_8),
                List.of(promtool.toString(), "check", "metrics"));
        if (r.timedOut()) {
            throw new AssertionError("promtool did not finish: " + r.output());
        }
        return r.status() == 0 ? r.output().strip() : "exit " + r.status() + ": " + r.output();
    }
}
