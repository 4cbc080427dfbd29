package org.edgegate.serial.internal.port;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.edgegate.api.sensor.PortConnection;

/**
 * A port connection whose provider says how to read and write a block of bytes; {@link #input()} and
 * {@link #output()} are the streams over that.
 */
abstract class StreamConnection implements PortConnection {
    /**
     * How long a read waits for data before it returns 0 (the reader then checks its silence watchdog and
     * whether its provider changed). Long, so a quiet board wakes the gateway once a second, not ten times:
     * a stop closes the port under the read instead of waiting for it.
     */
    static final int IDLE_READ_MS = 1000;

    private final InputStream in = new InputStream() {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return StreamConnection.this.read(b, off, len);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            while ((n = read(one, 0, 1)) == 0) {
                // nothing within the short wait: wait on for the next byte
            }
            return n < 0 ? -1 : one[0] & 0xff;
        }
    };

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            StreamConnection.this.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    };

    /**
     * Reads up to {@code len} bytes; 0 when none came within a short wait (or may throw an
     * {@link java.io.InterruptedIOException} then), -1 once the port is gone or closed.
     */
    abstract int read(byte[] b, int off, int len) throws IOException;

    /** Writes all {@code len} bytes or throws. */
    abstract void write(byte[] b, int off, int len) throws IOException;

    @Override
    public final InputStream input() {
        return in;
    }

    @Override
    public final OutputStream output() {
        return out;
    }
}
