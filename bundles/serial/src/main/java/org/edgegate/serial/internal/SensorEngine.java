package org.edgegate.serial.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.kernel.Meter;

/**
 * Runs one sensor: a reader thread that opens the port through the provider of its scheme, cuts the
 * bytes into lines, parses and maps them and hands each reading on; that notices a lost device (end of
 * stream, read error, or silence longer than the watchdog allows) and reopens with back-off. Only the
 * reader thread opens, reads and closes the port. Plain Java, so tests run it without a framework.
 */
final class SensorEngine {

    /** Finds the port provider of a scheme, null when none is registered. */
    interface Ports {
        PortProvider provider(String scheme);
    }

    interface Output {
        void reading(Reading reading);
    }

    interface Log {
        void info(String message);

        void warn(String message);

        void debug(String message);
    }

    /**
     * The parser and mapping in use, or why there is none (lines are then counted and dropped);
     * {@code awaited} when the parser's service is just not registered (yet).
     */
    record Pipeline(LineParser parser, ChannelMapping mapping, String problem, boolean awaited) {
        static Pipeline of(LineParser parser, ChannelMapping mapping) {
            return new Pipeline(parser, mapping, null, false);
        }

        static Pipeline broken(String problem) {
            return new Pipeline(null, ChannelMapping.NONE, problem, false);
        }

        static Pipeline awaiting(String problem) {
            return new Pipeline(null, ChannelMapping.NONE, problem, true);
        }
    }

    /**
     * While the framework starts, providers and parsers of this bundle may register just after the
     * sensors: a missing one counts as STARTING this long before it is a failure.
     */
    static final long STARTUP_GRACE_MS = 5000;

    private static final int READ_BUFFER = 4096;

    private final SensorSettings settings;
    private final Ports ports;
    private final Output output;
    private final Log log;
    private final Object wake = new Object();
    private final Object writeLock = new Object();
    private final Meter rate = new Meter();
    private final long createdNanos = System.nanoTime();
    private final BooleanSupplier shuttingDown;

    private volatile Pipeline pipeline;
    private volatile long silenceTimeoutMs;
    private volatile boolean running;
    private volatile boolean kicked;
    private volatile Thread thread;
    private volatile PortConnection connection;
    private volatile Health linkHealth = Health.of(HealthState.STARTING, "");

    // written by the reader thread only
    private volatile long lines;
    private volatile long bytes;
    private volatile long parseErrors;
    private volatile long droppedLines;
    private volatile long reconnects;
    private volatile String lastLine;
    private volatile String lastError;
    private volatile Instant lastSeen;
    private volatile Reading lastReading;

    SensorEngine(SensorSettings settings, Pipeline pipeline, Ports ports, Output output, Log log) {
        this(settings, pipeline, ports, output, log, SensorEngine::jvmShuttingDown);
    }

    /**
     * {@code shuttingDown} says whether the process is exiting: a port lost then was closed under the
     * reader (jSerialComm closes every port in its own shutdown hook, while the framework is still
     * stopping the sensors), so the reader ends quietly instead of reporting a failure and reopening.
     */
    SensorEngine(SensorSettings settings, Pipeline pipeline, Ports ports, Output output, Log log,
            BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
        this.settings = settings;
        this.pipeline = pipeline;
        this.silenceTimeoutMs = settings.silenceTimeoutMs();
        this.ports = ports;
        this.output = output;
        this.log = log;
    }

    SensorSettings settings() {
        return settings;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, "edgegate-serial-" + settings.id());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the reader and closes the port; returns when both are done (or after a few seconds). */
    synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        running = false;
        kick();
        try {
            t.join(3000);
            if (t.isAlive()) {
                // stuck in a provider's open or read: take the port away from under it
                log.warn("reader of sensor " + settings.id() + " did not stop in 3 s; closing its port");
                closeQuietly(connection);
                t.interrupt();
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        linkHealth = Health.of(HealthState.STOPPED, "");
    }

    /** Tells a waiting reader to try again now (a provider or parser arrived). */
    void kick() {
        synchronized (wake) {
            kicked = true;
            wake.notifyAll();
        }
    }

    void pipeline(Pipeline next) {
        pipeline = next;
    }

    void silenceTimeout(long ms) {
        silenceTimeoutMs = ms;
    }

    Health health() {
        Pipeline p = pipeline;
        Health link = linkHealth;
        if (p.problem() != null && link.state() != HealthState.STOPPED) {
            return Health.of(p.awaited() && starting() ? HealthState.STARTING : HealthState.FAILED, p.problem());
        }
        return link;
    }

    SensorStatistics statistics() {
        return new SensorStatistics(lines, bytes, parseErrors, droppedLines, reconnects, lastLine, lastError,
                lastSeen, rate.perSecond());
    }

    Optional<Reading> lastReading() {
        return Optional.ofNullable(lastReading);
    }

    boolean readerAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    void send(String text) throws IOException {
        PortConnection c = connection;
        if (c == null) {
            Health h = health();
            throw new IOException("port " + settings.port() + " is not open (" + h.state()
                    + (h.reason().isEmpty() ? "" : ": " + h.reason()) + ")");
        }
        byte[] line = (text + new String(settings.terminator(), settings.charset())).getBytes(settings.charset());
        synchronized (writeLock) {
            OutputStream out = c.output();
            out.write(line);
            out.flush();
        }
    }

    private void run() {
        long delay = settings.reconnectMinMs();
        boolean everOpened = false;
        LineFramer framer = new LineFramer(settings.terminator(), settings.charset(), settings.maxLineLength(),
                new LineFramer.Sink() {
                    @Override
                    public void line(String line) {
                        onLine(line);
                    }

                    @Override
                    public void overlong(int length) {
                        droppedLines++;
                        lastError = "line longer than " + settings.maxLineLength() + " bytes dropped (" + length
                                + " bytes)";
                    }
                });
        while (running) {
            PortProvider provider = ports.provider(settings.scheme());
            if (provider == null) {
                link(starting() ? HealthState.STARTING : HealthState.FAILED, "no port provider for scheme '"
                        + settings.scheme() + "' is installed");
                pause(starting() ? 100 : settings.reconnectMaxMs());
                continue;
            }
            PortConnection c;
            try {
                c = provider.open(settings.port(), settings.portSettings());
            } catch (IllegalArgumentException e) {
                link(HealthState.FAILED, "bad port '" + settings.port() + "': " + e.getMessage());
                pause(settings.reconnectMaxMs());
                continue;
            } catch (IOException | RuntimeException e) {
                link(HealthState.RECONNECTING, "cannot open " + settings.port() + ": " + message(e)
                        + "; retry in " + delay + " ms");
                pause(delay);
                delay = Math.min(delay * 2, settings.reconnectMaxMs());
                continue;
            }
            if (everOpened) {
                reconnects++;
            }
            everOpened = true;
            connection = c;
            link(HealthState.OPEN, "");
            String lost;
            long bytesBefore = bytes;
            try {
                lost = read(c, provider, framer);
                if (bytes > bytesBefore) {
                    // the device worked: start again from the shortest delay
                    delay = settings.reconnectMinMs();
                }
            } finally {
                connection = null;
                synchronized (writeLock) {
                    closeQuietly(c);
                }
            }
            if (framer.reset()) {
                droppedLines++;
                lastError = "partial line dropped when the port closed";
            }
            if (lost != null && running && shuttingDown.getAsBoolean()) {
                // not a device failure: nothing to report, nothing to reopen; stop() finds the reader done
                linkHealth = Health.of(HealthState.STOPPED, "the gateway is shutting down");
                log.debug("sensor " + settings.id() + " (" + settings.port() + "): " + lost
                        + " while the gateway shuts down; reader ended");
                return;
            }
            if (lost != null && running) {
                link(HealthState.RECONNECTING, lost + "; reopening in " + delay + " ms");
                pause(delay);
                delay = Math.min(delay * 2, settings.reconnectMaxMs());
            }
        }
    }

    /** Reads until the port is lost (returns why) or the engine stops (returns null). */
    private String read(PortConnection c, PortProvider provider, LineFramer framer) {
        byte[] buf = new byte[READ_BUFFER];
        InputStream in = c.input();
        long lastData = System.nanoTime();
        while (running) {
            int n;
            try {
                n = in.read(buf);
            } catch (InterruptedIOException timeout) {
                n = 0;
            } catch (IOException | RuntimeException e) {
                return "read failed: " + message(e);
            }
            if (n < 0) {
                return "device gone (end of stream)";
            }
            long now = System.nanoTime();
            if (n > 0) {
                lastData = now;
                bytes += n;
                framer.feed(buf, 0, n);
            } else {
                long silence = silenceTimeoutMs;
                if (silence > 0 && now - lastData > silence * 1_000_000L) {
                    return "no data for " + silence + " ms (silenceTimeout)";
                }
            }
            if (ports.provider(settings.scheme()) != provider) {
                return "port provider for '" + settings.scheme() + "' was replaced or removed";
            }
        }
        return null;
    }

    private void onLine(String raw) {
        String line = raw.trim();
        if (line.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long seq = ++lines;
        lastLine = Escape.of(line);
        lastSeen = Instant.ofEpochMilli(now);
        rate.mark();
        Pipeline p = pipeline;
        if (p.parser() == null) {
            droppedLines++;
            return;
        }
        Map<String, Object> parsed;
        try {
            parsed = p.parser().parse(line);
        } catch (LineParseException e) {
            parseErrors++;
            lastError = e.getMessage() + ": " + Escape.of(line);
            return;
        } catch (RuntimeException e) {
            parseErrors++;
            lastError = "parser failed (" + e + "): " + Escape.of(line);
            log.debug("sensor " + settings.id() + ": " + lastError);
            return;
        }
        if (parsed.isEmpty()) {
            return; // a line with nothing to read (e.g. an NMEA sentence the parser skips): no reading, no error
        }
        ChannelMapping.Mapped m = p.mapping().apply(parsed);
        Reading r = new Reading(settings.id(), seq, Instant.ofEpochMilli(now), m.values(), m.units(), line);
        lastReading = r;
        output.reading(r);
    }

    private void link(HealthState state, String reason) {
        Health before = linkHealth;
        if (before.state() == state && before.reason().equals(reason)) {
            return;
        }
        linkHealth = Health.of(state, reason);
        String text = "sensor " + settings.id() + " (" + settings.port() + "): " + state
                + (reason.isEmpty() ? "" : " - " + reason);
        if (state == HealthState.OPEN) {
            log.info(text);
        } else if (state == HealthState.STARTING) {
            log.debug(text);
        } else if (before.state() != state) {
            log.warn(text);
        } else {
            log.debug(text);
        }
    }

    /** Whether the JVM is running its shutdown hooks (no hook can be added then). */
    static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    private boolean starting() {
        return System.nanoTime() - createdNanos < STARTUP_GRACE_MS * 1_000_000L;
    }

    /** Waits up to {@code ms}, or less when stopped or kicked. */
    private void pause(long ms) {
        long until = System.nanoTime() + ms * 1_000_000L;
        synchronized (wake) {
            while (running && !kicked) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    wake.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            kicked = false;
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(PortConnection c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing is best effort; the port is abandoned either way
            }
        }
    }
}
