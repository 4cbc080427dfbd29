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
import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.Connector;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.Meter;
import org.edgegate.kernel.Threads;

/**
 * One sensor's protocol on the connector kernel: open the port through the provider of its scheme, cut
 * the bytes into lines, parse and map them and hand each reading on; a lost device (end of stream, read
 * error, silence longer than the watchdog allows, provider gone) ends {@link #work()} and the kernel
 * reopens with back-off. Only the connector's thread opens, reads and closes the port. Plain Java, so
 * tests run it without a framework.
 */
final class SensorEngine extends Connector {

    /** Finds the port provider of a scheme, null when none is registered. */
    interface Ports {
        PortProvider provider(String scheme);
    }

    interface Output {
        void reading(Reading reading);
    }

    /** Where the sensor logs (the kernel's log interface, under the name the serial bundle uses). */
    interface Log extends ConnectorLog {
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
    /** How long stop waits for the reader before it closes the port from under it. */
    static final long STOP_GRACE_MS = 3000;

    private static final int READ_BUFFER = 4096;

    private final SensorSettings settings;
    private final Ports ports;
    private final Output output;
    private final BooleanSupplier shuttingDown;
    private final Object writeLock = new Object();
    private final Meter rate = new Meter();
    private final LineFramer framer;

    private volatile Pipeline pipeline;
    private volatile long silenceTimeoutMs;
    private volatile PortConnection connection;
    private PortProvider provider;

    // written by the connector's thread only
    private volatile long lines;
    private volatile long bytes;
    private volatile long parseErrors;
    private volatile long droppedLines;
    private volatile String lastLine; // raw: escaped when asked for, not per line
    private volatile String lastError;
    private volatile long lastSeen; // epoch ms, 0: never
    private volatile Reading lastReading;

    SensorEngine(SensorSettings settings, Pipeline pipeline, Ports ports, Output output, ConnectorLog log) {
        this(settings, pipeline, ports, output, log, Threads::jvmShuttingDown);
    }

    /** {@code shuttingDown} says whether the process is exiting (see {@link Connector#shuttingDown()}). */
    SensorEngine(SensorSettings settings, Pipeline pipeline, Ports ports, Output output, ConnectorLog log,
            BooleanSupplier shuttingDown) {
        super("edgegate-serial-" + settings.id(), "sensor " + settings.id() + " (" + settings.port() + ")",
                new Backoff(settings.reconnectMinMs(), settings.reconnectMaxMs()), log);
        this.settings = settings;
        this.pipeline = pipeline;
        this.silenceTimeoutMs = settings.silenceTimeoutMs();
        this.ports = ports;
        this.output = output;
        this.shuttingDown = shuttingDown;
        this.framer = new LineFramer(settings.terminator(), settings.charset(), settings.maxLineLength(),
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
    }

    SensorSettings settings() {
        return settings;
    }

    /** Stops the reader and closes the port; returns when both are done (or after a few seconds). */
    void stop() {
        stop(STOP_GRACE_MS);
    }

    void pipeline(Pipeline next) {
        pipeline = next;
    }

    void silenceTimeout(long ms) {
        silenceTimeoutMs = ms;
    }

    @Override
    public Health health() {
        Pipeline p = pipeline;
        Health link = super.health();
        if (p.problem() != null && link.state() != HealthState.STOPPED) {
            return Health.of(p.awaited() && startingFor(STARTUP_GRACE_MS) ? HealthState.STARTING : HealthState.FAILED,
                    p.problem());
        }
        return link;
    }

    SensorStatistics statistics() {
        String line = lastLine;
        long seen = lastSeen;
        return new SensorStatistics(lines, bytes, parseErrors, droppedLines, reconnects(),
                line == null ? null : Escape.of(line), lastError, seen == 0 ? null : Instant.ofEpochMilli(seen),
                rate.perSecond());
    }

    Optional<Reading> lastReading() {
        return Optional.ofNullable(lastReading);
    }

    boolean readerAlive() {
        return alive();
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

    static boolean jvmShuttingDown() {
        return Threads.jvmShuttingDown();
    }

    @Override
    protected boolean shuttingDown() {
        return shuttingDown.getAsBoolean();
    }

    @Override
    protected void open() throws Exception {
        PortProvider p = ports.provider(settings.scheme());
        if (p == null) {
            boolean starting = startingFor(STARTUP_GRACE_MS);
            throw new Unavailable(starting ? HealthState.STARTING : HealthState.FAILED, "no port provider for scheme '"
                    + settings.scheme() + "' is installed", starting ? 100 : -1);
        }
        try {
            connection = p.open(settings.port(), settings.portSettings());
        } catch (IllegalArgumentException e) {
            throw new Unavailable(HealthState.FAILED, "bad port '" + settings.port() + "': " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot open " + settings.port() + ": " + message(e), e);
        }
        provider = p;
    }

    /** Reads until the port is lost (throws why) or the connector stops (returns). */
    @Override
    protected void work() throws IOException {
        byte[] buf = new byte[READ_BUFFER];
        InputStream in = connection.input();
        long lastData = System.nanoTime();
        boolean progressed = false;
        while (running()) {
            int n;
            try {
                n = in.read(buf);
            } catch (InterruptedIOException timeout) {
                n = 0;
            } catch (IOException | RuntimeException e) {
                throw new IOException("read failed: " + message(e), e);
            }
            if (n < 0) {
                throw new IOException("device gone (end of stream)");
            }
            long now = System.nanoTime();
            if (n > 0) {
                lastData = now;
                bytes += n;
                framer.feed(buf, 0, n);
                if (!progressed) {
                    progressed = true;
                    progress(); // the device works: a later loss starts again from the shortest delay
                }
            } else {
                long silence = silenceTimeoutMs;
                if (silence > 0 && now - lastData > silence * 1_000_000L) {
                    throw new IOException("no data for " + silence + " ms (silenceTimeout)");
                }
            }
            if (ports.provider(settings.scheme()) != provider) {
                throw new IOException("port provider for '" + settings.scheme() + "' was replaced or removed");
            }
        }
    }

    @Override
    protected void close() {
        PortConnection c = connection;
        connection = null;
        synchronized (writeLock) {
            closeQuietly(c);
        }
        if (framer.reset()) {
            droppedLines++;
            lastError = "partial line dropped when the port closed";
        }
    }

    /** Stopping: the read waits up to a second for data, so end it now by closing the port under it. */
    @Override
    protected void wakeUp() {
        if (!running()) {
            abort();
        }
    }

    /** Stuck in a provider's open or read: take the port away from under it. */
    @Override
    protected void abort() {
        closeQuietly(connection);
    }

    private void onLine(String raw) {
        String line = raw.trim();
        if (line.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long seq = ++lines;
        lastLine = line;
        lastSeen = now;
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
            log.debug("sensor {}: {}", settings.id(), lastError);
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
