package org.edgegate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network camera gone bad, one way per path: an endless response header, a 100 MB part, a part that never
 * ends (CameraHttpPluginIT), header lines without end, a part announcing 2 GB, a multipart
 * stream without a boundary, a body that never reaches a delimiter, a response head trickled a byte a second
 * (slowloris), and a stream whose first part is a good JPEG and whose second trickles. It writes at most
 * 100 MB per connection and counts connections and the most written on one, per path.
 */
final class HostileCameraServer implements AutoCloseable {
    private static final long MOST = 100L * 1024 * 1024;
    private static final long TRICKLE_MILLIS = 1000;

    private final ServerSocket server;
    private final byte[] jpeg;
    final Map<String, Long> mostSent = new ConcurrentHashMap<>();
    private final Map<String, Integer> connections = new ConcurrentHashMap<>();

    /** {@code jpeg}: the good first picture of {@code /slow-part} (null when that path is not used). */
    HostileCameraServer(byte[] jpeg) throws IOException {
        this.jpeg = jpeg;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "hostile-camera-server");
        t.setDaemon(true);
        t.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int connections(String path) {
        return connections.getOrDefault(path, 0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "hostile-camera-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        String path = "?";
        long[] sent = {0};
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            path = line.toString().split(" ")[1];
            connections.merge(path, 1, Integer::sum);
            String multipart = "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=b\r\n\r\n";
            switch (path) {
                case "/endless-header" -> {
                    write(out, "HTTP/1.1 200 OK\r\nX-Endless: ", sent);
                    repeat(out, "a", sent);
                }
                case "/big-part" -> {
                    write(out, multipart + "--b\r\nContent-Type: image/jpeg\r\nContent-Length: 104857600\r\n\r\n", sent);
                    repeat(out, "a", sent);
                }
                case "/endless-part" -> {
                    write(out, multipart + "--b\r\nContent-Type: image/jpeg\r\n\r\n", sent);
                    repeat(out, "a", sent);
                }
                case "/many-headers" -> {
                    write(out, "HTTP/1.1 200 OK\r\n", sent);
                    repeat(out, "X-Hostile: 1\r\n", sent);
                }
                case "/two-gigabytes" -> {
                    write(out, multipart + "--b\r\nContent-Type: image/jpeg\r\nContent-Length: 2147483648\r\n\r\n", sent);
                    repeat(out, "a".repeat(1024), sent);
                }
                case "/no-boundary" -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace\r\n\r\n", sent);
                    repeat(out, "a".repeat(1024), sent);
                }
                case "/no-delimiter" -> {
                    write(out, multipart, sent);
                    repeat(out, "not a delimiter\r\n", sent);
                }
                case "/slow-head" -> {
                    write(out, "HTTP/1.1 200 OK\r\nX-Slow: ", sent);
                    trickle(out, sent);
                }
                case "/slow-part" -> {
                    write(out, multipart + "--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n",
                            sent);
                    out.write(jpeg);
                    write(out, "\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n", sent);
                    trickle(out, sent);
                }
                default -> write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", sent);
            }
        } catch (IOException | RuntimeException e) {
            // the client hung up: what we want
        } finally {
            mostSent.merge(path, sent[0], Math::max);
        }
    }

    private static void write(OutputStream out, String s, long[] sent) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b);
        out.flush();
        sent[0] += b.length;
    }

    /** {@code s} again and again, in 64 KiB writes, up to the most this server sends on a connection. */
    private static void repeat(OutputStream out, String s, long[] sent) throws IOException {
        StringBuilder b = new StringBuilder();
        while (b.length() < 64 * 1024) {
            b.append(s);
        }
        byte[] chunk = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        while (sent[0] < MOST) {
            out.write(chunk);
            sent[0] += chunk.length;
        }
    }

    /** One byte a second: always under the client's stall time, never done. */
    private static void trickle(OutputStream out, long[] sent) throws IOException {
        byte[] one = new byte[1];
        Arrays.fill(one, (byte) 'a');
        while (sent[0] < MOST) {
            out.write(one);
            out.flush();
            sent[0]++;
            try {
                Thread.sleep(TRICKLE_MILLIS); // the hostile server's pace
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
