package org.edgegate.clips.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class FrameRingTest {
    private static FrameRing.Entry frame(long seq, long time, int bytes) {
        return new FrameRing.Entry(seq, time, 4, 4, new byte[bytes]);
    }

    @Test
    public void keepsTheLastSecondsOfFrameTime() {
        FrameRing ring = new FrameRing(1000, 1 << 20);
        for (int i = 0; i < 100; i++) {
            ring.add(frame(i, 10_000 + i * 40L, 100)); // 25 fps for 4 s
        }
        List<FrameRing.Entry> kept = ring.since(0);
        assertEquals(13_960, kept.get(kept.size() - 1).time());
        assertTrue("oldest within 1 s of the newest: " + kept.get(0).time(), kept.get(0).time() >= 13_960 - 1000 - 40);
        assertEquals(26, ring.size()); // 1 s at 25 fps, both ends
        assertEquals(26 * 100, ring.bytes());
        assertEquals(0, ring.dropped());
        assertEquals(List.of(98L, 99L), ring.since(13_920).stream().map(FrameRing.Entry::sequence).toList());
    }

    @Test
    public void theByteBoundWinsOverTheSecondsAndCountsWhatLeftEarly() {
        FrameRing ring = new FrameRing(10_000, 1000);
        for (int i = 0; i < 50; i++) {
            ring.add(frame(i, i * 40L, 300));
        }
        assertEquals(3, ring.size());
        assertTrue(ring.bytes() <= 1000);
        assertEquals(47, ring.dropped());
        ring.add(frame(50, 2000, 5000)); // larger than the whole buffer: not kept, the others stay
        assertEquals(3, ring.size());
        assertEquals(48, ring.dropped());
    }

    @Test
    public void keepsTheCamerasBytesByReferenceAndShrinksWhenResized() {
        FrameRing ring = new FrameRing(5000, 1 << 20);
        FrameRing.Entry first = frame(1, 0, 10);
        ring.add(first);
        for (int i = 2; i <= 100; i++) {
            ring.add(frame(i, i * 40L, 10));
        }
        assertSame(first.jpeg(), ring.since(0).get(0).jpeg());
        ring.resize(1000, 1 << 20);
        assertEquals(26, ring.size());
        ring.resize(1000, 50);
        assertEquals(5, ring.size());
    }
}
