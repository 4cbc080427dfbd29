package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Small real implementations of the api's Frame and Camera, an output stream that behaves as a servlet
 * container's non-blocking one, and the least of a request, response, async context and bundle context
 * the stream path calls (no mocking library; anything else they are asked throws).
 */
final class StreamFakes {
    static final String BOUNDARY = "--edgegate-frame\r\n";

    private StreamFakes() {
    }

    /** A frame whose JPEG is the given bytes; counts how often its JPEG is asked for. */
    static final class TestFrame implements Frame {
        final String cameraId;
        final long sequence;
        final Instant time;
        final byte[] jpeg;
        final boolean placeholder;
        final AtomicInteger jpegCalls = new AtomicInteger();

        TestFrame(String cameraId, long sequence, Instant time, byte[] jpeg, boolean placeholder) {
            this.cameraId = cameraId;
            this.sequence = sequence;
            this.time = time;
            this.jpeg = jpeg;
            this.placeholder = placeholder;
        }

        /** A frame with a small fake JPEG naming the camera and sequence (so parts can be told apart). */
        static TestFrame of(String cameraId, long sequence) {
            byte[] body = ("\u00ff\u00d8jpeg " + cameraId + " #" + sequence + "\u00ff\u00d9").getBytes(StandardCharsets.ISO_8859_1);
            return new TestFrame(cameraId, sequence, Instant.ofEpochSecond(1_700_000_000L, sequence * 1000), body, false);
        }

        @Override
        public String cameraId() {
            return cameraId;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public Instant time() {
            return time;
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public byte[] jpeg() {
            jpegCalls.incrementAndGet();
            return jpeg;
        }

        @Override
        public byte[] bgr() {
            return new byte[12];
        }

        @Override
        public boolean isPlaceholder() {
            return placeholder;
        }
    }

    /** A camera with a settable newest frame. */
    static final class TestCamera implements Camera {
        final String id;
        volatile Frame latest;

        TestCamera(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Health health() {
            return Health.of(HealthState.OPEN, "test");
        }

        @Override
        public String source() {
            return "pattern:test";
        }

        @Override
        public Optional<Frame> latest() {
            return Optional.ofNullable(latest);
        }

        @Override
        public Frame snapshot() {
            Frame f = latest;
            return f != null ? f : new TestFrame(id, -1, Instant.EPOCH, new byte[] { 1, 2, 3 }, true);
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return latest != null;
        }

        @Override
        public CameraStatistics statistics() {
            throw new UnsupportedOperationException("statistics");
        }
    }

    /**
     * A servlet output stream as a container's non-blocking one behaves: blocking until a write listener is
     * set, then writable. After {@link #stall()} (a client that stopped reading) each write or flush is taken
     * and then isReady() is false until the container calls onWritePossible, here {@link #drain()}; after
     * {@link #resume()} the client keeps up again. Writing while not ready is the container's
     * IllegalStateException. Counts writes made in blocking mode.
     */
    static final class Out extends ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private WriteListener listener;
        private boolean ready = true;
        private boolean stalled;
        private IOException failure;
        int blockingWrites;
        int flushes;

        @Override
        public synchronized boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener l) {
            synchronized (this) {
                if (listener != null) {
                    throw new IllegalStateException("write listener set twice");
                }
                listener = l;
            }
            drain();                             // the container says the first write is possible
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            check();
            bytes.write(b, off, len);
            if (stalled) {
                ready = false;
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            check();
            flushes++;
            if (stalled) {
                ready = false;
            }
        }

        private void check() throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (listener == null) {
                blockingWrites++;
            } else if (!ready) {
                throw new IllegalStateException("write while not ready");
            }
        }

        /** From now on every write or flush fills the client's buffers until the next {@link #drain()}. */
        synchronized void stall() {
            stalled = true;
        }

        /** The client reads everything: writable again, and the container tells the listener so. */
        void drain() {
            WriteListener l;
            synchronized (this) {
                l = listener;
                ready = true;
            }
            if (l != null) {
                try {
                    l.onWritePossible();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** The client keeps up again: writes no longer fill its buffers; then as {@link #drain()}. */
        void resume() {
            synchronized (this) {
                stalled = false;
            }
            drain();
        }

        /** The connection breaks: every later write throws. */
        synchronized void fail() {
            failure = new IOException("broken pipe");
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** An async context that records complete() and tells its listeners, as a container does. */
    static final class Async {
        final List<AsyncListener> listeners = new ArrayList<>();
        final AtomicInteger completions = new AtomicInteger();
        long timeout = -1;
        final AsyncContext context = (AsyncContext) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(),
                new Class<?>[] { AsyncContext.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "addListener" -> {
                        synchronized (listeners) {
                            listeners.add((AsyncListener) args[0]);
                        }
                        yield null;
                    }
                    case "setTimeout" -> {
                        timeout = (Long) args[0];
                        yield null;
                    }
                    case "complete" -> {
                        if (completions.incrementAndGet() > 1) {
                            throw new IllegalStateException("completed twice");
                        }
                        List<AsyncListener> ls;
                        synchronized (listeners) {
                            ls = List.copyOf(listeners);
                        }
                        for (AsyncListener l : ls) {
                            l.onComplete(new AsyncEvent((AsyncContext) proxy));
                        }
                        yield null;
                    }
                    case "toString" -> "Async";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** GET of a path below the cameras' servlet (the part after /edgegate/cameras, e.g. "/demo/stream.mjpg"). */
    static final class Request {
        final String pathInfo;
        final Map<String, String> parameters = new TreeMap<>();
        final Async async = new Async();
        boolean asyncStarted;

        Request(String pathInfo) {
            this.pathInfo = pathInfo;
        }

        Request param(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        HttpServletRequest http() {
            return (HttpServletRequest) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(),
                    new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                        case "getPathInfo" -> pathInfo;
                        case "getParameter" -> parameters.get((String) args[0]);
                        case "getRemoteAddr" -> "127.0.0.1";
                        case "getRemotePort" -> 40000;
                        case "startAsync" -> {
                            asyncStarted = true;
                            yield async.context;
                        }
                        case "toString" -> "GET " + pathInfo;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    /** A response that remembers status, headers, content type and what was written. */
    static final class Response {
        int status = 200;
        String error;
        String contentType;
        int contentLength = -1;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Out out = new Out();

        HttpServletResponse http() {
            return (HttpServletResponse) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setStatus" -> status = (Integer) args[0];
                            case "sendError" -> {
                                status = (Integer) args[0];
                                error = args.length > 1 ? (String) args[1] : null;
                            }
                            case "setContentType" -> contentType = (String) args[0];
                            case "setContentLength" -> contentLength = (Integer) args[0];
                            case "getOutputStream" -> {
                                return out;
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }

    /** A bundle context that only registers services: the registrations it made, newest last. */
    static final class Registry {
        final List<Registration> registrations = new ArrayList<>();
        final BundleContext context = (BundleContext) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, m, args) -> {
                    if (!m.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    Registration r = new Registration(args[1], (Dictionary<?, ?>) args[2]);
                    synchronized (registrations) {
                        registrations.add(r);
                    }
                    return r.registration;
                });

        /** The camera ids the registered, not unregistered, listener is for; empty when none is registered. */
        List<String> watched() {
            synchronized (registrations) {
                for (Registration r : registrations) {
                    if (!r.unregistered) {
                        return Arrays.asList((String[]) r.properties.get(org.edgegate.api.camera.FrameListener.CAMERA_ID));
                    }
                }
            }
            return List.of();
        }

        int live() {
            synchronized (registrations) {
                return (int) registrations.stream().filter(r -> !r.unregistered).count();
            }
        }
    }

    static final class Registration {
        final Object service;
        volatile Dictionary<?, ?> properties;
        volatile boolean unregistered;
        final ServiceRegistration<?> registration;

        Registration(Object service, Dictionary<?, ?> properties) {
            this.service = service;
            this.properties = properties;
            this.registration = (ServiceRegistration<?>) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(),
                    new Class<?>[] { ServiceRegistration.class }, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setProperties" -> this.properties = (Dictionary<?, ?>) args[0];
                            case "unregister" -> {
                                if (unregistered) {
                                    throw new IllegalStateException("unregistered twice");
                                }
                                unregistered = true;
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }

    /** HttpConfig as Metatype would build it: the defaults, maxStreams as given. */
    static HttpConfig config(int maxStreams) {
        return (HttpConfig) Proxy.newProxyInstance(StreamFakes.class.getClassLoader(), new Class<?>[] { HttpConfig.class },
                (proxy, m, args) -> m.getName().equals("maxStreams") ? maxStreams : m.getDefaultValue());
    }

    /** Waits (bounded) until the condition holds; fails naming it otherwise. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 10 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** One part of a multipart stream as a client reads it. */
    record ReadPart(Map<String, String> headers, byte[] body) {
        long sequence() {
            return Long.parseLong(headers.get("X-Frame-Sequence"));
        }
    }

    /**
     * Reads a whole multipart stream as a client does, failing on any framing error: the opening boundary,
     * then per part its headers, exactly Content-Length bytes and the boundary that closes it.
     */
    static List<ReadPart> readStream(byte[] stream) {
        String s = new String(stream, StandardCharsets.ISO_8859_1);
        List<ReadPart> parts = new ArrayList<>();
        if (s.isEmpty()) {
            return parts;
        }
        assertTrue("a stream starts with the boundary: " + s, s.startsWith(BOUNDARY));
        int at = BOUNDARY.length();
        String close = "\r\n" + BOUNDARY;
        while (at < s.length()) {
            int end = s.indexOf("\r\n\r\n", at);
            assertTrue("a part's headers end with an empty line at " + at, end > 0);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : s.substring(at, end).split("\r\n")) {
                int colon = line.indexOf(": ");
                assertTrue("a header line: " + line, colon > 0);
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            }
            int length = Integer.parseInt(headers.get("Content-Length"));
            int body = end + 4;
            assertTrue("the part's bytes are all there", body + length + close.length() <= s.length());
            assertEquals("the boundary follows exactly Content-Length bytes", close,
                    s.substring(body + length, body + length + close.length()));
            parts.add(new ReadPart(headers, Arrays.copyOfRange(stream, body, body + length)));
            at = body + length + close.length();
        }
        return parts;
    }
}
