package org.edgegate.camera.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.Test;

public class DeadlineTest {
    /** One byte per read, each "arriving" 30 ms after the one before: a trickle under any stall timeout. */
    private static final class Trickle extends InputStream {
        @Override
        public int read() throws IOException {
            try {
                Thread.sleep(30); // the server's pace, not a wait for a condition
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return 'a';
        }

        @Override
        public int available() {
            return 0;
        }
    }

    @Test
    public void aTrickleIsRefusedAtTheDeadlineOfWhatItSends() {
        Deadline d = new Deadline(new Trickle());
        d.arm(300, "response header");
        long start = System.nanoTime();
        int read = 0;
        try {
            while (read < 1000) {
                d.read();
                read++;
            }
            fail("a trickle of 1000 bytes was read to the end");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("response header not complete within 300 ms"));
        }
        assertTrue("refused after a few bytes: " + read, read < 100);
        assertTrue((System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start >= 300_000_000L);
    }

    @Test
    public void disarmedOrWithBytesWaitingItReadsOn() throws IOException {
        Deadline d = new Deadline(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        d.arm(0, "part");
        assertEquals("bytes buffered: no clock read, no refusal", 1, d.read());
        d.disarm();
        assertEquals(2, d.read());
        assertEquals(1, d.read(new byte[4], 0, 4));
    }
}
