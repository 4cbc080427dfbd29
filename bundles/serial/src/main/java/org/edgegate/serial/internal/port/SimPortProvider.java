package org.edgegate.serial.internal.port;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.api.sensor.PortSettings;
import org.osgi.service.component.annotations.Component;

/**
 * {@code sim:th}, {@code sim:gas}, {@code sim:th9600}: simulated boards for demos, tests and
 * benchmarks, {@code ?rate=N} lines per second (default 1; {@code 0} as fast as the reader takes
 * them). The board takes one command: {@code RATE n}, as a real board takes its own.
 */
@Component(property = PortProvider.SCHEME + "=sim")
public class SimPortProvider implements PortProvider {
    @Override
    public PortConnection open(String port, PortSettings settings) throws IOException {
        String spec = port.trim().substring(port.indexOf(':') + 1);
        String name = spec;
        double rate = 1;
        int q = spec.indexOf('?');
        if (q >= 0) {
            name = spec.substring(0, q);
            for (String option : spec.substring(q + 1).split("&")) {
                String[] kv = option.split("=", 2);
                if (kv.length == 2 && kv[0].equals("rate")) {
                    rate = parseRate(kv[1]);
                } else if (!option.isEmpty()) {
                    throw new IllegalArgumentException("unknown option '" + option + "' (sim:<board>?rate=N)");
                }
            }
        }
        SimBoard board = SimBoard.of(name.toLowerCase(Locale.ROOT));
        if (board == null) {
            throw new IllegalArgumentException("no simulated board '" + name + "' (sim:th, sim:gas, sim:th9600)");
        }
        return new Connection(board, rate);
    }

    private static double parseRate(String text) {
        try {
            double r = Double.parseDouble(text);
            if (r >= 0 && r <= 1_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("rate must be a number of lines per second from 0 to 1000000, not '"
                + text + "'");
    }

    @Override
    public List<PortDescription> ports() {
        List<PortDescription> ports = new ArrayList<>();
        for (SimBoard b : SimBoard.values()) {
            ports.add(new PortDescription("sim:" + b.id(), "simulated " + b.description + "; ?rate=N lines/s", ""));
        }
        return ports;
    }

    /** Makes lines on demand inside read(), so a simulated board needs no thread of its own. */
    private static final class Connection extends StreamConnection {
        private final SimBoard.Walk walk;
        private volatile long periodNanos;
        private long due = System.nanoTime();
        private byte[] pending = new byte[0];
        private int pos;
        private volatile boolean closed;
        /** The thread waiting in read(), woken by close(). */
        private volatile Thread reader;
        private final ByteArrayOutputStream command = new ByteArrayOutputStream();

        Connection(SimBoard board, double rate) {
            this.walk = board.new Walk();
            rate(rate);
        }

        private void rate(double linesPerSecond) {
            periodNanos = linesPerSecond == 0 ? 0 : (long) (1e9 / linesPerSecond);
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                return -1;
            }
            if (pos == pending.length && !nextLine()) {
                return 0;
            }
            int n = Math.min(len, pending.length - pos);
            System.arraycopy(pending, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Waits (at most a short while) until the next line is due; false when it is not yet. */
        private boolean nextLine() throws IOException {
            long period = periodNanos;
            if (period > 0) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    reader = Thread.currentThread();
                    if (!closed) {
                        LockSupport.parkNanos(Math.min(wait, IDLE_READ_MS * 1_000_000L));
                    }
                    reader = null;
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("interrupted");
                    }
                    if (due - System.nanoTime() > 0) {
                        return false;
                    }
                }
                // a reader that fell far behind does not get a burst of catch-up lines
                due = Math.max(due + period, System.nanoTime() - period);
            }
            pending = walk.next().getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            return true;
        }

        /** Collects a line of board command; a line end runs it. */
        @Override
        synchronized void write(byte[] bytes, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (closed) {
                    throw new IOException("port closed");
                }
                byte b = bytes[i];
                if (b == '\n' || b == '\r') {
                    command(command.toString(StandardCharsets.US_ASCII).trim());
                    command.reset();
                } else if (command.size() < 256) {
                    command.write(b);
                }
            }
        }

        private void command(String command) {
            String[] words = command.split("\\s+");
            if (words.length == 2 && words[0].equalsIgnoreCase("RATE")) {
                try {
                    rate(parseRate(words[1]));
                } catch (IllegalArgumentException ignored) {
                    // a real board ignores a command it does not understand, and so does this one
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            Thread t = reader;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
