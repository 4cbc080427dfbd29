package org.edgegate.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.FrameListener;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/**
 * MJPEG over HTTP (bundle org.edgegate.http) on the runtime's Jetty, read by a plain socket client that
 * splits the multipart stream itself and decodes every JPEG with javax.imageio.
 */
@ExamReactorStrategy(PerClass.class)
public class MjpegIT extends GatewayTestSupport {
    private static final String CAMERA_PID = "org.edgegate.camera";
    private static final String CAMERA = "mj";
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;
    private static final int FPS = 25;
    /** The tests' console login (TestLogin writes it into every test home). */
    private static final String LOGIN = TestLogin.basic();
    private static final String TOKEN = "it-token-4f1c9a";
    private static final long HEAP_BOUND = 8_000_000L;

    private Configuration cameraConfig;
    private Camera camera;

    @Override
    protected boolean includeEtcFile(String fileName) {
        // Only this test's camera and no sensors: the CPU goes to the stream.
        return !fileName.startsWith(CAMERA_PID + "-") && !fileName.startsWith("org.edgegate.serial.sensor-");
    }

    @Before
    public void configure() throws Exception {
        configure("org.edgegate.http", Map.of("token", TOKEN, "maxStreams", 8));
        cameraConfig = createFactoryConfiguration(CAMERA_PID, CAMERA, Map.of("id", CAMERA, "source", "pattern:",
                "width", WIDTH, "height", HEIGHT, "fps", FPS, "quality", 100));
        camera = awaitService(Camera.class, "(id=" + CAMERA + ")", DEFAULT_TIMEOUT);
        await("the camera captures", DEFAULT_TIMEOUT, () -> camera.latest().isPresent());
        // The whiteboard picks the servlet up by itself: wait until it answers (and takes the token).
        await("the snapshot served", DEFAULT_TIMEOUT, () -> {
            try {
                return get("/" + CAMERA + "/snapshot.jpg?token=" + TOKEN, null).status == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @After
    public void unconfigure() throws Exception {
        cameraConfig.delete();
        await("camera gone", DEFAULT_TIMEOUT, () -> context.getServiceReference(Camera.class) == null);
        await("streams closed", DEFAULT_TIMEOUT, () -> openStreams() == 0);
    }

    @Test
    public void theStreamCarriesDecodableJpegsOfTheCamerasSizeInSequence() throws Exception {
        try (MjpegClient client = MjpegClient.open(port(), path("/stream.mjpg"), LOGIN)) {
            assertEquals(200, client.status);
            assertTrue(client.headers.toString(),
                    client.header("content-type").startsWith("multipart/x-mixed-replace;boundary="));
            assertEquals("no-store", client.header("cache-control"));
            long previous = -1;
            long first = -1;
            for (int i = 0; i < 12; i++) {
                Frame f = client.next();
                assertEquals("image/jpeg", f.headers.get("content-type"));
                assertEquals(f.jpeg.length, Integer.parseInt(f.headers.get("content-length")));
                assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, Arrays.copyOf(f.jpeg, 2));
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(f.jpeg));
                assertNotNull("part " + i + " decodes", image);
                assertEquals(WIDTH, image.getWidth());
                assertEquals(HEIGHT, image.getHeight());
                assertTrue("sequence rises: " + previous + " then " + f.sequence, f.sequence > previous);
                assertTrue(f.headers.toString(), f.headers.get("x-timestamp").matches("\\d+\\.\\d{6}"));
                previous = f.sequence;
                first = first < 0 ? f.sequence : first;
            }
            assertTrue("the sequence advanced", previous >= first + 11);
            assertEquals(status(), 1, openStreams());
            assertTrue(status(), status().contains("1 of at most 8 MJPEG streams open"));
            assertTrue(gogo("gw:streams"), gogo("gw:streams").contains(CAMERA + " "));
        }
    }

    @Test
    public void aClientThatNeverReadsHoldsBackNeitherTheOtherClientNorTheCamera() throws Exception {
        // A control camera of the same settings with no client: its frames in the same window say what the
        // machine could capture meanwhile (a loaded machine slows both).
        Configuration controlConfig = createFactoryConfiguration(CAMERA_PID, CAMERA + "-control", Map.of("id",
                CAMERA + "-control", "source", "pattern:", "width", WIDTH, "height", HEIGHT, "fps", FPS, "quality", 100));
        Camera control = awaitService(Camera.class, "(id=" + CAMERA + "-control)", DEFAULT_TIMEOUT);
        // a pattern camera nobody takes frames from draws one a second: this listener takes each one, so the
        // control camera runs at its asked rate as the streamed one does
        ServiceRegistration<FrameListener> taker = context.registerService(FrameListener.class, f -> f.jpeg(),
                new Hashtable<>(Map.of(FrameListener.CAMERA_ID, CAMERA + "-control")));
        try (MjpegClient reader = MjpegClient.open(port(), path("/stream.mjpg"), LOGIN)) {
            reader.next();
            Window alone = window(reader, 40);
            long heapBefore = usedHeap();
            // A client that sends its request and then never reads: its socket buffers fill, then it skips.
            try (Socket stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
                stuck.getOutputStream().write(request(path("/stream.mjpg"), LOGIN));
                await("the stuck client served", DEFAULT_TIMEOUT, () -> openStreams() == 2);
                long jpegBytes = reader.next().jpeg.length;
                // Enough frames that a queue per client would show in the heap (4x the bound below), within
                // the HTTP server's idle timeout (60 s), after which it drops the stuck client.
                int frames = (int) Math.max(120, 4 * HEAP_BOUND / jpegBytes);
                long control0 = control.statistics().frames();
                Window stuckWindow = window(reader, frames);
                long controlCaptured = control.statistics().frames() - control0;
                long heapAfter = usedHeap();
                System.out.printf(Locale.ROOT, "alone %s; with a stuck client %s, the control camera %d; JPEG %d bytes;"
                        + " heap %d -> %d bytes%n", alone, stuckWindow, controlCaptured, jpegBytes, heapBefore, heapAfter);
                assertTrue("the reading client gets most frames while the other is stuck: " + stuckWindow,
                        stuckWindow.received >= 0.5 * stuckWindow.captured);
                assertTrue("the camera keeps the pace of the control camera: " + stuckWindow + ", control "
                        + controlCaptured, stuckWindow.captured >= 0.7 * controlCaptured);
                // The server's view: the stuck client got a few frames into its socket buffers, then skipped.
                String streams = gogo("gw:streams");
                List<String[]> rows = streams.lines().filter(l -> l.startsWith(CAMERA + " ")).map(l -> l.split("\\s+")).toList();
                assertEquals(streams, 2, rows.size());
                String[] stuckRow = rows.stream().min(Comparator.comparingLong(r -> Long.parseLong(r[3]))).orElseThrow();
                // Frames are skipped for it, not queued (what would grow the heap).
                assertTrue(streams, Long.parseLong(stuckRow[4]) > frames / 2);
                assertTrue(streams, Long.parseLong(stuckRow[3]) < frames / 2);
            }
        } finally {
            taker.unregister();
            controlConfig.delete();
        }
    }

    @Test
    public void theFpsParameterCapsTheRate() throws Exception {
        try (MjpegClient client = MjpegClient.open(port(), path("/stream.mjpg?fps=2"), LOGIN)) {
            client.next();
            // 10 frames at 2 a second from a camera of 25: about 5 s, in which the camera captures about 125.
            Window w = window(client, 10);
            System.out.printf(Locale.ROOT, "?fps=2: %s%n", w);
            // The cap: a slow machine only makes the window longer (half a frame of slack for the first one's
            // delivery).
            assertTrue("at most 2 frames a second: " + w, w.received <= 2 * w.seconds + 1.5);
            // About the asked rate, not fewer: 2 a second, or every frame the camera had in the same window
            // when it captured fewer (a loaded machine).
            assertTrue("about 2 frames a second: " + w, w.received >= 0.6 * Math.min(2 * w.seconds, w.captured));
        }
        assertEquals(400, get("/" + CAMERA + "/stream.mjpg?fps=fast", LOGIN).status);
        assertEquals(400, get("/" + CAMERA + "/stream.mjpg?fps=0", LOGIN).status);
        // below one frame in 20 s a stream would hold a slot with next to nothing sent
        assertEquals(400, get("/" + CAMERA + "/stream.mjpg?fps=1e-300", LOGIN).status);
        assertEquals(400, get("/" + CAMERA + "/stream.mjpg?fps=0.049", LOGIN).status);
    }

    @Test
    public void theSnapshotIsOneJpeg() throws Exception {
        Response r = get("/" + CAMERA + "/snapshot.jpg", LOGIN);
        assertEquals(200, r.status);
        assertEquals("image/jpeg", r.headers.get("content-type"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body));
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        assertEquals("false", r.headers.get("x-frame-placeholder"));
    }

    @Test
    public void onlyTheConsolesLoginOrTheTokenGetIn() throws Exception {
        String[] paths = {"/" + CAMERA + "/snapshot.jpg", "/" + CAMERA + "/stream.mjpg", "/nope/snapshot.jpg"};
        for (String p : paths) {
            Response none = get(p, null);
            assertEquals(p, 401, none.status);
            assertTrue(none.headers.toString(), none.headers.getOrDefault("www-authenticate", "").startsWith("Basic realm="));
            assertEquals(p, 401, get(p, basic(TestLogin.USER, "wrong")).status);
            assertEquals(p, 401, get(p, basic("root", TestLogin.PASSWORD)).status);
            assertEquals(p, 401, get(p + "?token=" + TOKEN + "x", null).status);
            assertEquals(p, 401, get(p, "Bearer nope").status);
        }
        assertEquals(200, get("/" + CAMERA + "/snapshot.jpg?token=" + TOKEN, null).status);
        assertEquals(200, get("/" + CAMERA + "/snapshot.jpg", "Bearer " + TOKEN).status);
        try (MjpegClient byToken = MjpegClient.open(port(), path("/stream.mjpg?token=" + TOKEN), null)) {
            assertEquals(200, byToken.status);
            assertNotNull(ImageIO.read(new ByteArrayInputStream(byToken.next().jpeg)));
        }
        assertEquals(404, get("/nope/snapshot.jpg", LOGIN).status);
        assertEquals(404, get("/nope/stream.mjpg", LOGIN).status);
        assertEquals(404, get("/" + CAMERA + "/other.txt", LOGIN).status);

        // Without a token configured, the token is refused and the console's login still works.
        configure("org.edgegate.http", Map.of("token", "", "maxStreams", 8));
        await("the token refused", DEFAULT_TIMEOUT,
                () -> getQuietly("/" + CAMERA + "/snapshot.jpg?token=" + TOKEN, null) == 401);
        assertEquals(401, get("/" + CAMERA + "/snapshot.jpg?token=", null).status);
        assertEquals(200, get("/" + CAMERA + "/snapshot.jpg", LOGIN).status);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Frames captured by the camera and received by a client over the same stretch. */
    private record Window(long received, long captured, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d received, %d captured in %.1f s", received, captured, seconds);
        }
    }

    private Window window(MjpegClient client, int frames) throws IOException {
        long c0 = camera.statistics().frames();
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            client.next();
        }
        return new Window(frames, camera.statistics().frames() - c0, (System.nanoTime() - t0) / 1e9);
    }

    static long usedHeap() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime r = Runtime.getRuntime();
            least = Math.min(least, r.totalMemory() - r.freeMemory());
        }
        return least;
    }

    private String status() {
        try {
            return gogo("gw:streams");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Open streams as gw:streams counts them. */
    private int openStreams() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(\\d+) of at most").matcher(status());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private int port() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    private static String path(String rest) {
        return "/edgegate/cameras/" + CAMERA + rest;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] request(String path, String authorization) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** A one-shot request (Connection: close, so the body ends with the stream). */
    private Response get(String rest, String authorization) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request("/edgegate/cameras" + rest, authorization));
            InputStream in = new BufferedInputStream(s.getInputStream());
            int status = MjpegClient.status(MjpegClient.line(in));
            Map<String, String> headers = MjpegClient.headers(in);
            return new Response(status, headers, MjpegClient.body(in, headers).readAllBytes());
        }
    }

    private int getQuietly(String rest, String authorization) {
        try {
            return get(rest, authorization).status;
        } catch (IOException e) {
            return -1;
        }
    }

    private record Frame(Map<String, String> headers, long sequence, byte[] jpeg) {
    }

    /** Reads a multipart/x-mixed-replace response part by part, as VLC or a browser would. */
    private static final class MjpegClient implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final int status;
        final Map<String, String> headers;
        final String boundary;

        private MjpegClient(Socket socket) throws IOException {
            this.socket = socket;
            InputStream raw = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            this.status = status(line(raw));
            this.headers = headers(raw);
            this.in = body(raw, headers);
            String type = headers.getOrDefault("content-type", "");
            int b = type.indexOf("boundary=");
            this.boundary = b < 0 ? null : "--" + type.substring(b + "boundary=".length()).replace("\"", "").trim();
        }

        static MjpegClient open(int port, String path, String authorization) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request(path, authorization));
            return new MjpegClient(s);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        Frame next() throws IOException {
            String l;
            do {
                l = line(in);                  // the line end after the previous part, then the boundary
            } while (l.isEmpty());
            if (!l.equals(boundary)) {
                throw new IOException("expected the boundary " + boundary + ", got '" + l + "'");
            }
            Map<String, String> h = headers(in);
            int length = Integer.parseInt(h.get("content-length"));
            byte[] jpeg = in.readNBytes(length);
            if (jpeg.length < length) {
                throw new EOFException("part cut short");
            }
            return new Frame(h, Long.parseLong(h.getOrDefault("x-frame-sequence", "-1")), jpeg);
        }

        /** The body: HTTP/1.1 chunks undone when the server sends it chunked (as Jetty does a stream). */
        static InputStream body(InputStream in, Map<String, String> headers) {
            if (!"chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                return in;
            }
            return new InputStream() {
                private long left;
                private boolean end;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (end) {
                        return -1;
                    }
                    if (left == 0) {
                        String size = line(in);
                        if (size.isEmpty()) {
                            size = line(in);                 // the line end after the previous chunk
                        }
                        int semi = size.indexOf(';');
                        left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                        if (left == 0) {
                            end = true;
                            return -1;
                        }
                    }
                    int n = in.read(b, off, (int) Math.min(len, left));
                    if (n < 0) {
                        throw new EOFException("chunk cut short");
                    }
                    left -= n;
                    return n;
                }
            };
        }

        static int status(String line) throws IOException {
            String[] parts = line.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line: " + line);
            }
            return Integer.parseInt(parts[1]);
        }

        static Map<String, String> headers(InputStream in) throws IOException {
            Map<String, String> h = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                h.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            return h;
        }

        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("stream ended");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
