package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgegate.http.internal.StreamFakes.Async;
import org.edgegate.http.internal.StreamFakes.Out;
import org.edgegate.http.internal.StreamFakes.ReadPart;
import org.edgegate.http.internal.StreamFakes.TestFrame;
import org.junit.Test;

/** One MJPEG client: latest frame only, the ?fps cap, and leaving cleanly whatever ends it. */
public class StreamClientTest {
    private final Async async = new Async();
    private final Out out = new Out();
    private final List<StreamClient> gone = new ArrayList<>();

    private StreamClient client(double fps) {
        return new StreamClient("cam", "127.0.0.1:40000", fps, async.context, out, gone::add);
    }

    private static Part part(long sequence) {
        return Part.of(TestFrame.of("cam", sequence));
    }

    private List<Long> sequencesSent() {
        return StreamFakes.readStream(out.bytes()).stream().map(ReadPart::sequence).toList();
    }

    @Test
    public void aClientThatKeepsUpGetsEveryFrameEachFlushedAsOneWholePart() {
        StreamClient c = client(0);
        c.start();
        for (long s = 1; s <= 5; s++) {
            c.offer(part(s));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequencesSent());
        assertEquals(5, c.sent());
        assertEquals(0, c.skipped());
        assertEquals(5, c.lastSequence());
        assertTrue("each frame flushed so the browser shows it at once", out.flushes >= 5);
    }

    @Test
    public void aClientThatStopsReadingHoldsOneWaitingFrameAndSkipsTheRest() {
        StreamClient c = client(0);
        c.start();
        c.offer(part(1));
        out.stall();
        c.offer(part(2));                        // taken by the socket buffer, which is then full
        for (long s = 3; s <= 100; s++) {
            c.offer(part(s));                    // returns at once: the camera is never held up
        }
        assertEquals(List.of(1L, 2L), sequencesSent());
        out.resume();                            // the client reads again
        assertEquals("then the newest frame only, no queue", List.of(1L, 2L, 100L), sequencesSent());
        assertEquals(3, c.sent());
        assertEquals(97, c.skipped());
        assertEquals(100, c.lastSequence());
    }

    @Test
    public void aNewerFrameArrivingMidWriteNeverCutsThePartBeingWritten() {
        StreamClient c = client(0);
        c.start();
        out.stall();                             // every write fills the buffer: one step per drain
        c.offer(part(1));
        c.offer(part(2));
        c.offer(part(3));
        for (int i = 0; i < 10; i++) {
            out.drain();
            c.offer(part(4 + i));
        }
        List<Long> sent = sequencesSent();       // parses: no part cut or interleaved
        assertTrue("some frames out: " + sent, sent.size() >= 3);
        for (int i = 1; i < sent.size(); i++) {
            assertTrue("sequences rise: " + sent, sent.get(i) > sent.get(i - 1));
        }
        assertEquals(c.sent(), sent.size());
    }

    @Test
    public void aFrameOfferedBeforeStartWaitsForTheContainersGoAheadInsteadOfABlockingWrite() {
        StreamClient c = client(0);
        c.offer(part(1));                        // Streams may deliver between add() and start()
        assertEquals("nothing written in blocking mode (on the camera's delivery thread)", 0, out.blockingWrites);
        assertEquals(0, out.bytes().length);
        c.start();
        assertEquals(List.of(1L), sequencesSent());
        assertEquals("still streaming", 0, gone.size());
        assertEquals(0, out.blockingWrites);
    }

    @Test
    public void theFpsCapHoldsAFrameUntilItIsDueAndSendsANewerOneInstead() {
        StreamClient c = client(0.01);           // one frame per 100 s: only the first is due here
        c.start();
        for (long s = 1; s <= 50; s++) {
            c.offer(part(s));
        }
        assertEquals(List.of(1L), sequencesSent());
        assertEquals(1, c.sent());
        assertEquals("frames 2..49 replaced while waiting, 50 still waits", 48, c.skipped());
    }

    @Test
    public void theFpsCapNeverSendsMoreThanItAllowsAndStillSendsFrames() {
        double fps = 100;
        StreamClient c = client(fps);
        c.start();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        long s = 0;
        while (c.sent() < 5 && System.nanoTime() - deadline < 0) {
            c.offer(part(++s));                  // a camera far faster than the cap
            Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue("frames go out under the cap", c.sent() >= 5);
        assertTrue("at most 1 + seconds * fps frames: " + c.sent() + " in " + seconds + " s",
                c.sent() <= 1 + Math.floor(seconds * fps + 1e-9));
        assertEquals(c.sent(), sequencesSent().size());
        assertEquals(s - c.sent() - (s == c.lastSequence() ? 0 : 1), c.skipped());
    }

    @Test
    public void aBrokenConnectionReleasesTheClientOnceAndLaterFramesAreIgnored() {
        StreamClient c = client(0);
        c.start();
        c.offer(part(1));
        out.fail();
        c.offer(part(2));
        c.offer(part(3));
        assertEquals(List.of(c), gone);
        assertEquals(1, async.completions.get());
        assertEquals(List.of(1L), sequencesSent());
        assertEquals("the frame whose write failed is not counted as sent", 1, c.sent());
        assertEquals(1, c.lastSequence());
    }

    @Test
    public void closeEndsTheResponseOnceFromAnyPath() {
        StreamClient c = client(0);
        c.start();
        c.close();
        c.close();
        c.onError(new RuntimeException("gone"));
        c.onTimeout(null);
        assertEquals(1, async.completions.get());
        assertEquals(List.of(c), gone);
    }

    @Test
    public void theContainerEndingTheResponseReleasesTheClient() throws Exception {
        StreamClient c = client(0);
        c.start();
        c.onTimeout(null);                       // the server's idle timeout
        assertEquals(List.of(c), gone);
        c.offer(part(1));
        assertEquals("nothing written after the end", 0, sequencesSent().size());
    }
}
