package org.edgegate.camera.http.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose reads fail once what is being read (the response head, a part) has taken longer than its
 * deadline. The stall timeout alone lets a server that trickles a byte just under it (slowloris) hold a
 * camera for hours while it claims to be open. The clock is read only when a read may block (nothing
 * buffered), so a stream at full rate pays nothing.
 */
final class Deadline extends FilterInputStream {
    private long deadline;
    private long millis;
    private String what;

    Deadline(InputStream in) {
        super(in);
    }

    /** From now, {@code what} must be read within {@code millis}. */
    void arm(long millis, String what) {
        this.millis = millis;
        this.what = what;
        this.deadline = System.nanoTime() + millis * 1_000_000L;
    }

    void disarm() {
        what = null;
    }

    @Override
    public int read() throws IOException {
        check();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        return super.read(b, off, len);
    }

    private void check() throws IOException {
        if (what != null && in.available() == 0 && System.nanoTime() - deadline > 0) {
            String w = what;
            what = null;
            throw new IOException(w + " not complete within " + millis + " ms: refused (bytes trickled too slowly)");
        }
    }
}
