package org.edgegate.camera.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.api.camera.JpegSource;
import org.edgegate.api.camera.SourceFormat;
import org.edgegate.api.camera.SourceRequest;
import org.junit.After;
import org.junit.Test;

/** The HTTP source against small servers on loopback that answer as cameras do, and as hostile ones do. */
public class HttpJpegSourceTest {
    /** Answers one connection: gets the request's lines, writes the response. */
    interface Handler {
        void answer(List<String> request, OutputStream out) throws IOException, InterruptedException;
    }

    private ServerSocket server;
    private Thread thread;
    private final List<List<String>> requests = new CopyOnWriteArrayList<>();

    private String serve(Handler h) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    List<String> req = new ArrayList<>();
                    for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                        req.add(l);
                    }
                    requests.add(req);
                    h.answer(req, s.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // client gone or server closed
                }
            }
        }, "test-camera");
        thread.setDaemon(true);
        thread.start();
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @After
    public void close() throws IOException, InterruptedException {
        if (server != null) {
            server.close();
            thread.join(5000);
        }
    }

    private static JpegSource source(String url, String user, String password, double fps) {
        return new HttpSourceProvider().create(new SourceRequest("cam", url, 0, 0, fps, user, password));
    }

    private static byte[] jpeg(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31);
        }
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        return b;
    }

    private static String header(List<String> req, String name) {
        return req.stream().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse(null);
    }

    @Test
    public void anMjpegStreamBehindABasicLoginIsReadPartByPart() throws Exception {
        byte[][] frames = {jpeg(500), jpeg(700), jpeg(300)};
        String base = serve((req, out) -> {
            String login = "Basic " + Base64.getEncoder().encodeToString("admin:s3c:ret".getBytes(StandardCharsets.UTF_8));
            if (!login.equals(header(req, "Authorization"))) {
                out.write("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"cam\"\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            out.write("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=boundarydonotcross\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] f : frames) {
                out.write(("--boundarydonotcross\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(f);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        });
        JpegSource s = source(base + "/?action=stream", "admin", "s3c:ret", 0);
        SourceFormat f = s.open();
        assertEquals(0.0, f.pace(), 0);
        assertTrue(f.description(), f.description().contains("MJPEG stream"));
        for (byte[] frame : frames) {
            assertArrayEquals(frame, s.next());
        }
        try {
            s.next();
            fail("the stream ended");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("stream ended"));
        } finally {
            s.close();
        }
        assertEquals("GET /?action=stream HTTP/1.1", requests.get(1).get(0));
    }

    @Test
    public void aDigestLoginIsAnsweredAndTheUrlLoginWorksToo() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>();
        String base = serve((req, out) -> {
            String auth = header(req, "Authorization");
            if (auth == null) {
                out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"cam\", qop=\"auth\", "
                        + "nonce=\"abc123\"\r\nWWW-Authenticate: Basic realm=\"cam\"\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            answer.set(auth);
            byte[] f = jpeg(100);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(f);
        });
        JpegSource s = source(base.replace("http://", "http://viewer:pa%40ss@") + "/snap.jpg", "", "", 4);
        SourceFormat f = s.open();
        assertEquals("a snapshot URL is polled at the camera's rate", 4.0, f.pace(), 0);
        assertArrayEquals(jpeg(100), s.next());
        assertArrayEquals("fetched again", jpeg(100), s.next());
        s.close();
        String a = answer.get();
        assertTrue(a, a.startsWith("Digest username=\"viewer\", realm=\"cam\", nonce=\"abc123\", uri=\"/snap.jpg\""));
        assertTrue(a, a.contains("qop=auth, nc=00000002"));
        assertTrue("the login never goes into the request line", requests.stream().allMatch(r -> !r.get(0).contains("pa")));
    }

    @Test
    public void anEndlessHeaderIsRefusedAtItsBound() throws Exception {
        String base = serve((req, out) -> {
            out.write("HTTP/1.1 200 OK\r\nX-Junk: ".getBytes(StandardCharsets.ISO_8859_1));
            byte[] junk = new byte[8192];
            java.util.Arrays.fill(junk, (byte) 'a');
            for (int i = 0; i < 10_000; i++) { // 80 MB if nobody stops reading
                out.write(junk);
            }
        });
        JpegSource s = source(base + "/", "", "", 0);
        try {
            s.open();
            fail("an endless header was accepted");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("response header longer than 16384 bytes refused"));
        } finally {
            s.close();
        }
    }

    @Test
    public void aWrongPasswordAndAnErrorStatusAreSaidWithoutThePassword() throws Exception {
        String base = serve((req, out) -> {
            boolean asked = req.get(0).contains("/private");
            out.write((asked ? "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"
                    : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        });
        for (String[] c : new String[][] {{"/private", "refused the login (401 Unauthorized); check user and password"},
            {"/missing", "answered 404 Not Found"}}) {
            JpegSource s = source(base + c[0], "admin", "hunter2", 0);
            try {
                s.open();
                fail("opened " + c[0]);
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(c[1]));
                assertTrue(e.getMessage(), !e.getMessage().contains("hunter2"));
            } finally {
                s.close();
            }
        }
    }

    @Test
    public void abortEndsARequestTheServerNeverAnswers() throws Exception {
        String base = serve((req, out) -> Thread.sleep(60_000));
        JpegSource s = source(base + "/", "", "", 0);
        AtomicReference<Throwable> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                s.open();
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (requests.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        s.abort();
        t.join(10_000);
        assertTrue("open returned after abort", !t.isAlive());
        // "stopped", not the stall time running out
        assertTrue(String.valueOf(result.get()), result.get() instanceof IOException
                && result.get().getMessage().equals("stopped"));
        s.close();
    }

    @Test
    public void badUrlsAreRefusedAtOnce() {
        for (String u : new String[] {"http://", "http:///x", "http://a b/"}) {
            try {
                source(u, "", "", 0);
                fail(u);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("URL"));
            }
        }
    }
}
