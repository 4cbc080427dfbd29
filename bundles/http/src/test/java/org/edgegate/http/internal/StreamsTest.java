package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.edgegate.http.internal.StreamFakes.Async;
import org.edgegate.http.internal.StreamFakes.Out;
import org.edgegate.http.internal.StreamFakes.ReadPart;
import org.edgegate.http.internal.StreamFakes.Registry;
import org.edgegate.http.internal.StreamFakes.TestFrame;
import org.junit.After;
import org.junit.Test;

/** All clients together: maxStreams, one JPEG per frame for all, the listener only while watched. */
public class StreamsTest {
    private final Registry registry = new Registry();
    private final Streams streams = new Streams(registry.context);

    /** A started client of the camera, as CameraServlet makes it. */
    private final class Viewer {
        final Async async = new Async();
        final Out out = new Out();
        final StreamClient client;

        Viewer(String cameraId, double fps) {
            client = new StreamClient(cameraId, "127.0.0.1:1", fps, async.context, out, streams::remove);
        }

        boolean join(int max) {
            boolean added = streams.add(client, max);
            if (added) {
                client.start();
            }
            return added;
        }

        List<Long> sequences() {
            return StreamFakes.readStream(out.bytes()).stream().map(ReadPart::sequence).toList();
        }
    }

    private boolean closed;

    @After
    public void close() {
        if (!closed) {
            streams.close();
        }
    }

    @Test
    public void maxStreamsCountsAllCamerasAndFreesASlotWhenAClientLeaves() {
        Viewer a1 = new Viewer("a", 0);
        Viewer b1 = new Viewer("b", 0);
        Viewer a2 = new Viewer("a", 0);
        assertTrue(a1.join(2));
        assertTrue(b1.join(2));
        assertFalse("a third stream with maxStreams 2", a2.join(2));
        assertEquals(2, streams.count());
        assertEquals(2, streams.all().size());
        a1.client.close();                       // the client went away
        assertEquals(1, streams.count());
        assertTrue("its slot is free again", a2.join(2));
        assertEquals(3, streams.served());
    }

    @Test
    public void refusedClientsNeverCountAgainstTheLimit() {
        Viewer first = new Viewer("a", 0);
        assertTrue(first.join(1));
        for (int i = 0; i < 100; i++) {
            assertFalse(new Viewer("a", 0).join(1));
        }
        assertEquals(1, streams.count());
        first.client.close();
        assertTrue(new Viewer("a", 0).join(1));
    }

    @Test
    public void eachFrameIsMadeIntoOnePartForEveryClientOfItsCameraOnly() {
        Viewer a1 = new Viewer("a", 0);
        Viewer a2 = new Viewer("a", 0);
        Viewer b = new Viewer("b", 0);
        a1.join(10);
        a2.join(10);
        b.join(10);
        TestFrame frame = TestFrame.of("a", 1);
        streams.frameReceived(frame);
        assertEquals("one JPEG for all clients", 1, frame.jpegCalls.get());
        assertEquals(List.of(1L), a1.sequences());
        assertEquals(List.of(1L), a2.sequences());
        assertEquals("another camera's clients get nothing", List.of(), b.sequences());
    }

    @Test
    public void noSignalPlaceholdersAndUnwatchedCamerasCostNothing() {
        Viewer a = new Viewer("a", 0);
        a.join(10);
        TestFrame placeholder = new TestFrame("a", 5, java.time.Instant.EPOCH, new byte[] { 1 }, true);
        TestFrame unwatched = TestFrame.of("c", 1);
        streams.frameReceived(placeholder);
        streams.frameReceived(unwatched);
        assertEquals(0, placeholder.jpegCalls.get());
        assertEquals(0, unwatched.jpegCalls.get());
        assertEquals(List.of(), a.sequences());
    }

    @Test
    public void aStalledClientNeverHoldsUpTheOthers() {
        Viewer slow = new Viewer("a", 0);
        Viewer fast = new Viewer("a", 0);
        slow.join(10);
        fast.join(10);
        streams.frameReceived(TestFrame.of("a", 1));
        slow.out.stall();
        for (long s = 2; s <= 50; s++) {
            streams.frameReceived(TestFrame.of("a", s));
        }
        assertEquals(50, fast.sequences().size());
        assertEquals(List.of(1L, 2L), slow.sequences());
        slow.out.resume();
        assertEquals(List.of(1L, 2L, 50L), slow.sequences());
        assertEquals(47, slow.client.skipped());
        assertEquals(0, fast.client.skipped());
    }

    @Test
    public void theFrameListenerIsRegisteredOnlyForTheCamerasWatchedAndOnlyWhileWatched() {
        assertEquals("nobody watches: no listener", 0, registry.live());
        Viewer a = new Viewer("a", 0);
        Viewer b = new Viewer("b", 0);
        a.join(10);
        StreamFakes.await("listener for a", () -> registry.watched().equals(List.of("a")));
        b.join(10);
        StreamFakes.await("listener for a and b", () -> registry.watched().equals(List.of("a", "b")));
        a.client.close();
        StreamFakes.await("listener for b only", () -> registry.watched().equals(List.of("b")));
        b.client.close();
        StreamFakes.await("no listener", () -> registry.live() == 0);
        assertEquals("one registration, its properties changed", 1, registry.registrations.size());
        assertTrue(registry.registrations.get(0).service == streams);
    }

    @Test
    public void aCameraGoingEndsItsStreamsOnly() {
        Viewer a1 = new Viewer("a", 0);
        Viewer a2 = new Viewer("a", 0);
        Viewer b = new Viewer("b", 0);
        a1.join(10);
        a2.join(10);
        b.join(10);
        streams.closeCamera("a");
        assertEquals(1, a1.async.completions.get());
        assertEquals(1, a2.async.completions.get());
        assertEquals(0, b.async.completions.get());
        assertEquals(1, streams.count());
        streams.frameReceived(TestFrame.of("b", 1));
        assertEquals(List.of(1L), b.sequences());
        StreamFakes.await("listener for b only", () -> registry.watched().equals(List.of("b")));
    }

    @Test
    public void closingEndsEveryStreamUnregistersAndRefusesNewClients() {
        Viewer a = new Viewer("a", 0);
        Viewer b = new Viewer("b", 0);
        a.join(10);
        b.join(10);
        StreamFakes.await("listener for a and b", () -> registry.watched().size() == 2);
        closed = true;
        streams.close();
        assertEquals(1, a.async.completions.get());
        assertEquals(1, b.async.completions.get());
        assertEquals(0, streams.count());
        StreamFakes.await("the listener gone", () -> registry.live() == 0);
        assertFalse(new Viewer("a", 0).join(10));
    }
}
