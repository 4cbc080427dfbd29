package org.edgegate.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.state.StateService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The "EdgeGate" Web Console tab over real HTTP (Jetty 12, Web Console 5.0.8, the console's own login)
 * with a simulated sensor board and a test-pattern camera configured through Configuration Admin.
 */
@ExamReactorStrategy(PerClass.class)
public class WebConsoleIT extends GatewayTestSupport {
    private static final String SENSOR_PID = "org.edgegate.serial.sensor";
    private static final String CAMERA_PID = "org.edgegate.camera";
    private static final String SENSOR = "wc-th";
    private static final String CAMERA = "wc-cam";
    /** The tests' console login (TestLogin writes it into every test home). */
    private static final String USER = TestLogin.USER;
    private static final String PASSWORD = TestLogin.PASSWORD;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Configuration sensorConfig;
    private Configuration cameraConfig;

    @Override
    protected boolean includeEtcFile(String fileName) {
        // Only this test's sensor and camera: the demo ones would crowd the JSON and the CPU.
        return !fileName.startsWith(SENSOR_PID + "-") && !fileName.startsWith(CAMERA_PID + "-");
    }

    @Before
    public void configure() throws Exception {
        Map<String, Object> sensor = new HashMap<>();
        sensor.put("id", SENSOR);
        sensor.put("port", "sim:th?rate=20");
        sensor.put("parser", "dash");
        sensor.put("channels", "T:temperature:°C, H:humidity:%");
        sensorConfig = createFactoryConfiguration(SENSOR_PID, SENSOR, sensor);
        cameraConfig = createFactoryConfiguration(CAMERA_PID, CAMERA,
                Map.of("id", CAMERA, "source", "pattern:", "width", 160, "height", 120, "fps", 10));
        Camera camera = awaitService(Camera.class, "(id=" + CAMERA + ")", DEFAULT_TIMEOUT);
        await("the camera captures", DEFAULT_TIMEOUT, () -> camera.latest().isPresent());
        Sensor s = awaitService(Sensor.class, "(id=" + SENSOR + ")", DEFAULT_TIMEOUT);
        await("the sensor reads", DEFAULT_TIMEOUT, () -> s.lastReading().isPresent());
        // The console tracks plugin services itself: wait until it serves ours.
        await("the EdgeGate tab", DEFAULT_TIMEOUT, () -> get("/edgegate", true).statusCode() == 200);
    }

    @After
    public void unconfigure() throws Exception {
        sensorConfig.delete();
        cameraConfig.delete();
        // Gone before the next test configures them again, so it cannot pick up the old services.
        await("sensor and camera services gone", DEFAULT_TIMEOUT, () -> !registered(Sensor.class, SENSOR) && !registered(Camera.class, CAMERA));
    }

    @Test
    public void thePageIsATabOfTheConsoleAndNeedsItsLogin() throws Exception {
        HttpResponse<String> page = get("/edgegate", true);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html, html.matches("(?s).*<title>[^<]*EdgeGate</title>.*"));
        assertTrue(html, html.contains("id=\"edgegate-dashboard\" data-root=\"/system/console/edgegate\""));
        assertTrue(html, html.contains("src=\"/system/console/edgegate/res/dashboard.js\""));
        assertTrue("our style sheet in the head: " + html, html.contains("/system/console/edgegate/res/dashboard.css"));
        assertTrue("the console's menu around it: " + html, html.contains("navmenu"));

        // Listed in the console's menu under its category, on any page.
        String bundles = get("/bundles", true).body();
        assertTrue(bundles, bundles.contains("/system/console/edgegate"));
        assertTrue(bundles, bundles.contains("EdgeGate"));

        // The page's own script and style sheet, from the bundle, typed (no CDN, nothing sniffed).
        HttpResponse<String> js = get("/edgegate/res/dashboard.js", true);
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().map().toString(), js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue("renders text only", js.body().contains("textContent") && !js.body().contains("innerHTML"));
        assertFalse("nothing from the internet", js.body().contains("http://") || js.body().contains("https://"));
        HttpResponse<String> css = get("/edgegate/res/dashboard.css", true);
        assertTrue(css.headers().map().toString(), css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        String etag = css.headers().firstValue("ETag").orElseThrow();
        assertEquals("unchanged: not sent again", 304,
                send(request("/edgegate/res/dashboard.css").header("If-None-Match", etag).GET().build()).statusCode());

        // Without the console's login nothing of the plugin answers, whatever the path or method.
        for (String path : new String[] {"/edgegate", "/edgegate/data.json", "/edgegate/camera.jpg?id=" + CAMERA,
                "/edgegate/res/dashboard.js"}) {
            assertEquals(path, 401, get(path, false).statusCode());
            assertEquals(path, 401, send(request(path).GET().setHeader("Authorization", basic(USER, "wrong")).build()).statusCode());
        }
        HttpResponse<String> post = send(anonymous("/edgegate/camera.json").header("X-Requested-With", "EdgeGate")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + CAMERA + "&action=stop")).build());
        assertEquals(401, post.statusCode());
        assertTrue("an unauthenticated stop did nothing", camera().isRunning());

        assertEquals(404, get("/edgegate/nothing.json", true).statusCode());
    }

    @Test
    public void theJsonHoldsTheSensorsReadingsAndTheCamera() throws Exception {
        JsonObject data = awaitValue("a reading with units in data.json", DEFAULT_TIMEOUT, () -> {
            JsonObject d = data("");
            JsonObject s = row(d.getAsJsonArray("sensors"), SENSOR);
            return s != null && s.get("reading").isJsonObject() ? d : null;
        });
        JsonObject sensor = row(data.getAsJsonArray("sensors"), SENSOR);
        assertEquals("sim:th?rate=20", sensor.get("port").getAsString());
        assertEquals("OPEN", sensor.get("state").getAsString());
        assertTrue(sensor.toString(), sensor.get("lines").getAsLong() > 0);
        assertTrue(sensor.get("lastSeen").getAsLong() > 0);
        JsonArray values = sensor.getAsJsonObject("reading").getAsJsonArray("values");
        Map<String, String> units = new HashMap<>();
        for (JsonElement v : values) {
            JsonObject o = v.getAsJsonObject();
            assertTrue(o.toString(), o.get("value").getAsJsonPrimitive().isNumber());
            units.put(o.get("name").getAsString(), o.get("unit").getAsString());
        }
        assertEquals(Map.of("temperature", "°C", "humidity", "%"), units);
        assertTrue("the state holds the readings too",
                row(data.getAsJsonObject("state").getAsJsonArray("entries"), "sensor/" + SENSOR + "/temperature", "key") != null);

        JsonObject camera = row(data.getAsJsonArray("cameras"), CAMERA);
        assertEquals("pattern:", camera.get("source").getAsString());
        assertEquals("OPEN", camera.get("state").getAsString());
        assertTrue(camera.get("running").getAsBoolean());
        assertEquals(160, camera.get("width").getAsInt());
        assertEquals(120, camera.get("height").getAsInt());
        assertTrue(camera.toString(), camera.get("frames").getAsLong() > 0);

        JsonArray health = data.getAsJsonArray("health");
        assertEquals("sensor", row(health, SENSOR).get("kind").getAsString());
        assertEquals("camera", row(health, CAMERA).get("kind").getAsString());
        assertEquals(HealthState.OPEN.name(), row(health, CAMERA).get("state").getAsString());
        // The runtime's default etc/ configures ZeroMQ endpoints: they are Monitored too.
        assertTrue(health.toString(), row(health, "endpoint", "kind") != null);
    }

    @Test
    public void thePictureIsAJpegOfTheCamerasSize() throws Exception {
        HttpResponse<byte[]> r = http.send(request("/edgegate/camera.jpg?id=" + CAMERA).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("false", r.headers().firstValue("X-Frame-Placeholder").orElse(""));
        byte[] jpeg = r.body();
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, Arrays.copyOf(jpeg, 2));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull("decodes", image);
        assertEquals(160, image.getWidth());
        assertEquals(120, image.getHeight());

        // Newer pictures on later requests: the page's refresh shows live video.
        long first = Long.parseLong(r.headers().firstValue("X-Frame-Sequence").orElseThrow());
        await("a newer frame", DEFAULT_TIMEOUT, () -> sequence() > first);

        assertEquals(404, get("/edgegate/camera.jpg?id=nope", true).statusCode());
        assertEquals(404, get("/edgegate/camera.jpg", true).statusCode());
    }

    @Test
    public void postStopsAndStartsTheCameraOnlyFromThePage() throws Exception {
        Camera camera = camera();
        StateService state = awaitService(StateService.class);

        // A form posted from another site carries neither our header nor our origin.
        HttpResponse<String> forged = post(CAMERA, "stop", r -> { });
        assertEquals(403, forged.statusCode());
        HttpResponse<String> otherOrigin = post(CAMERA, "stop", r -> r.header("X-Requested-With", "EdgeGate")
                .header("Origin", "http://evil.example"));
        assertEquals(403, otherOrigin.statusCode());
        assertTrue("refused requests changed nothing", camera.isRunning());

        HttpResponse<String> stop = post(CAMERA, "stop", WebConsoleIT::fromThePage);
        assertEquals(stop.body(), 200, stop.statusCode());
        JsonObject stopped = JsonParser.parseString(stop.body()).getAsJsonObject();
        assertEquals(CAMERA, stopped.get("id").getAsString());
        assertFalse(stopped.get("running").getAsBoolean());
        await("camera stopped", DEFAULT_TIMEOUT, () -> !camera.isRunning() && camera.health().state() == HealthState.STOPPED);
        assertEquals(Boolean.FALSE, state.get("camera/" + CAMERA + "/enabled").orElseThrow().value());
        assertEquals("STOPPED", row(data("").getAsJsonArray("cameras"), CAMERA).get("state").getAsString());
        HttpResponse<byte[]> placeholder = http.send(request("/edgegate/camera.jpg?id=" + CAMERA).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("the no-signal picture while stopped", "true",
                placeholder.headers().firstValue("X-Frame-Placeholder").orElse(""));

        HttpResponse<String> start = post(CAMERA, "start", WebConsoleIT::fromThePage);
        assertEquals(start.body(), 200, start.statusCode());
        await("camera running again", DEFAULT_TIMEOUT, () -> camera.latest().isPresent());

        assertEquals(400, post(CAMERA, "explode", WebConsoleIT::fromThePage).statusCode());
        assertEquals(404, post("nope", "stop", WebConsoleIT::fromThePage).statusCode());
    }

    @Test
    public void markupInTheStateComesBackEncoded() throws Exception {
        String evil = "<script>alert('gw')</script>&\"";
        StateService state = awaitService(StateService.class);
        state.put("wc/evil", evil);
        try {
            HttpResponse<String> r = get("/edgegate/data.json?prefix=" + URLEncoder.encode("wc/", StandardCharsets.UTF_8), true);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
            String body = r.body();
            assertFalse(body, body.contains("<script>"));
            assertFalse(body, body.contains("<"));
            assertTrue(body, body.contains("\\u003cscript\\u003e"));

            JsonObject st = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("state");
            assertEquals("the prefix filters: " + st, 1, st.get("total").getAsInt());
            assertEquals("decodes to the very value", evil, st.getAsJsonArray("entries").get(0).getAsJsonObject().get("value").getAsString());
        } finally {
            state.remove("wc/evil");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private boolean registered(Class<?> type, String id) {
        try {
            return !context.getServiceReferences(type, "(id=" + id + ")").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Camera camera() {
        return awaitService(Camera.class, "(id=" + CAMERA + ")", DEFAULT_TIMEOUT);
    }

    private String console() {
        return "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/system/console";
    }

    private HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", basic(USER, PASSWORD));
    }

    private HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(console() + path)).timeout(Duration.ofSeconds(10));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, boolean login) {
        return send((login ? request(path) : anonymous(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(request.uri() + ": " + e, e);
        }
    }

    /** What the page's fetch() sends besides the login. */
    private static void fromThePage(HttpRequest.Builder r) {
        r.header("X-Requested-With", "EdgeGate");
    }

    private HttpResponse<String> post(String id, String action, Consumer<HttpRequest.Builder> headers) {
        HttpRequest.Builder b = request("/edgegate/camera.json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                        + "&action=" + action));
        headers.accept(b);
        return send(b.build());
    }

    private JsonObject data(String prefix) {
        HttpResponse<String> r = get("/edgegate/data.json?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8), true);
        assertEquals(r.body(), 200, r.statusCode());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private long sequence() {
        try {
            HttpResponse<byte[]> r = http.send(request("/edgegate/camera.jpg?id=" + CAMERA).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return Long.parseLong(r.headers().firstValue("X-Frame-Sequence").orElse("-1"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonObject row(JsonArray rows, String id) {
        return row(rows, id, "id");
    }

    private static JsonObject row(JsonArray rows, String value, String field) {
        for (JsonElement e : rows) {
            JsonObject o = e.getAsJsonObject();
            if (o.has(field) && value.equals(o.get(field).getAsString())) {
                return o;
            }
        }
        return null;
    }
}
