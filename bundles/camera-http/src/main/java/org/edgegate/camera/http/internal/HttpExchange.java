package org.edgegate.camera.http.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET on its own connection, with every size from the server bounded where it enters: the
 * status line and headers together ({@link #MAX_HEAD} bytes, {@link #MAX_HEADERS} lines), chunk-size lines.
 * A hand-written client rather than the JDK's so that an endless header or a stalled server is refused at a
 * bound we choose. {@link #abort()} from another thread closes the socket under a blocked read.
 */
final class HttpExchange implements AutoCloseable {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_HEADERS = 64;
    static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final Socket socket;
    private int status;
    private String reason = "";
    private final List<String[]> headers = new ArrayList<>();
    private InputStream body;
    private Deadline deadline;

    private HttpExchange(Socket socket) {
        this.socket = socket;
    }

    /** Connects, sends the GET with {@code authorization} (null for none) and reads the response head. */
    static HttpExchange get(URI uri, String authorization, int readTimeoutMillis, Abortable owner) throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        HttpExchange x = new HttpExchange(s);
        owner.current(x);
        try {
            s.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(readTimeoutMillis);
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                ssl.setSSLParameters(p);
                ssl.startHandshake();
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                    .append(uri.getHost()).append(uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    .append("\r\nUser-Agent: EdgeGate\r\nAccept: multipart/x-mixed-replace, image/jpeg, */*\r\n")
                    .append("Connection: close\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Deadline in = new Deadline(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            x.deadline = in;
            in.arm(readTimeoutMillis, "response header"); // a legitimate server sends its head at once
            x.readHead(in);
            in.disarm();
            return x;
        } catch (SocketTimeoutException e) {
            x.close();
            throw new IOException("no answer from " + uri.getHost() + ":" + port + " within "
                    + readTimeoutMillis + " ms", e);
        } catch (IOException | RuntimeException e) {
            x.close();
            throw e;
        }
    }

    private void readHead(InputStream in) throws IOException {
        int[] budget = {MAX_HEAD};
        String statusLine = line(in, budget);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + MultipartReader.quote(statusLine));
        }
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + MultipartReader.quote(statusLine));
        }
        reason = parts.length > 2 ? parts[2] : "";
        for (String line = line(in, budget); !line.isEmpty(); line = line(in, budget)) {
            if (headers.size() >= MAX_HEADERS) {
                throw new IOException("response with more than " + MAX_HEADERS + " header lines refused");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        String te = header("Transfer-Encoding");
        String length = header("Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new Chunked(in);
        } else if (length != null) {
            try {
                body = new Limited(in, Long.parseLong(length));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + MultipartReader.quote(length));
            }
        } else {
            body = in;
        }
    }

    /** One line of the head, counted against what is left of the head's budget. */
    private static String line(InputStream in, int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the server closed the connection in the response header");
            }
            if (--budget[0] < 0) {
                throw new IOException("response header longer than " + MAX_HEAD + " bytes refused");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** The first header of that name, null when absent. */
    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Every header of that name, in order. */
    List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                out.add(h[1]);
            }
        }
        return out;
    }

    InputStream body() {
        return body;
    }

    /** The clock on the body's reads: armed by the reader for each thing it reads (a part, a snapshot). */
    Deadline deadline() {
        return deadline;
    }

    /** Closes the socket; from any thread, any number of times. */
    void abort() {
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to lose
        }
    }

    /** Who holds the exchange in progress, so that it can be aborted from another thread. */
    interface Abortable {
        void current(HttpExchange exchange);
    }

    /** A body of known length. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long length) {
            super(in);
            left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** A chunked body (ffmpeg's server sends one), chunk-size lines bounded. */
    private static final class Chunked extends FilterInputStream {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        private boolean ready() throws IOException {
            if (done) {
                return false;
            }
            if (left > 0) {
                return true;
            }
            int[] budget = {256};
            String line = line(in, budget);
            if (line.isEmpty()) { // the CRLF that ends the previous chunk
                line = line(in, budget);
            }
            int semi = line.indexOf(';');
            try {
                left = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + MultipartReader.quote(line));
            }
            if (left < 0) {
                throw new IOException("bad chunk size: " + MultipartReader.quote(line));
            }
            done = left == 0;
            return !done;
        }

        @Override
        public int read() throws IOException {
            if (!ready()) {
                return -1;
            }
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the server closed the connection inside a chunk");
            }
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!ready()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the server closed the connection inside a chunk");
            }
            left -= n;
            return n;
        }
    }
}
