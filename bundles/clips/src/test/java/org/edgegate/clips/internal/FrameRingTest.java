package org.edgegate.clips.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class FrameRingTest {
    /** A JPEG stand-in whose bytes tell its frame apart. */
    private static byte[] jpeg(long seq, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    private static void add(FrameRing ring, long seq, long time, int bytes) {
        ring.add(seq, time, 4, 3, jpeg(seq, bytes));
    }

    @Test
    public void keepsTheLastSecondsOfFrameTime() {
        FrameRing ring = new FrameRing(1000, 1 << 20);
        for (int i = 0; i < 100; i++) {
            add(ring, i, 10_000 + i * 40L, 100); // 25 fps for 4 s
        }
        List<FrameRing.Entry> kept = ring.since(0);
        assertEquals(13_960, kept.get(kept.size() - 1).time());
        assertTrue("oldest within 1 s of the newest: " + kept.get(0).time(), kept.get(0).time() >= 13_960 - 1000 - 40);
        assertEquals(26, ring.size()); // 1 s at 25 fps, both ends
        assertEquals(26 * 100, ring.bytes());
        assertEquals(0, ring.dropped());
        assertEquals(100, ring.buffered());
        assertEquals(List.of(98L, 99L), ring.since(13_920).stream().map(FrameRing.Entry::sequence).toList());
        assertEquals(4, kept.get(0).width());
        assertEquals(3, kept.get(0).height());
    }

    @Test
    public void theByteBoundWinsOverTheSecondsAndCountsWhatLeftEarly() {
        FrameRing ring = new FrameRing(10_000, 1000);
        for (int i = 0; i < 50; i++) {
            add(ring, i, i * 40L, 300);
        }
        assertEquals(3, ring.size());
        assertTrue(ring.bytes() <= 1000);
        assertTrue(ring.memory() <= 1000 + 1000 / 8);
        assertEquals(47, ring.dropped());
        add(ring, 50, 2000, 5000); // larger than the whole buffer: not kept, the others stay
        assertEquals(3, ring.size());
        assertEquals(48, ring.dropped());
    }

    @Test
    public void givesBackTheBytesAsTheyCameAcrossSlabsAndWraps() {
        // frames of odd sizes over a ring of a few slabs: many straddle two slabs, slabs are reused many times
        FrameRing ring = new FrameRing(1_000_000, 3L * FrameRing.SLAB);
        int[] sizes = {70_001, 123_457, 9, 200_003, 1, 99_999};
        for (int i = 0; i < 300; i++) {
            add(ring, i, i, sizes[i % sizes.length]);
            assertTrue(ring.bytes() <= 3L * FrameRing.SLAB);
            assertTrue(ring.memory() <= 3L * FrameRing.SLAB * 9 / 8);
        }
        List<FrameRing.Entry> kept = ring.since(0);
        assertTrue(kept.size() > 3);
        assertEquals(299, kept.get(kept.size() - 1).sequence());
        for (FrameRing.Entry e : kept) {
            assertArrayEquals("frame " + e.sequence(), jpeg(e.sequence(), sizes[(int) (e.sequence() % sizes.length)]),
                    e.jpeg());
        }
        for (int k = 1; k < kept.size(); k++) {
            assertEquals(kept.get(k - 1).sequence() + 1, kept.get(k).sequence()); // the newest, without a gap
        }
    }

    @Test
    public void copiesTheBytesSoTheCameraMayReuseItsArray() {
        FrameRing ring = new FrameRing(5000, 1 << 20);
        byte[] camera = jpeg(1, 10);
        ring.add(1, 0, 4, 3, camera);
        camera[0] = 99;
        FrameRing.Entry kept = ring.since(0).get(0);
        assertNotSame(camera, kept.jpeg());
        assertArrayEquals(jpeg(1, 10), kept.jpeg());
    }

    @Test
    public void memoryFollowsTheSecondsHeldNotTheBound() {
        // 64 MiB allowed, 1 s of 10 kB frames at 25 fps held: a few slabs, not the bound
        FrameRing ring = new FrameRing(1000, 64L << 20);
        for (int i = 0; i < 2000; i++) {
            add(ring, i, i * 40L, 10_000);
        }
        assertEquals(26, ring.size());
        assertTrue("memory " + ring.memory(), ring.memory() <= 4L * FrameRing.SLAB); // the frames' slabs and a spare
        assertEquals(0, ring.dropped());
    }

    @Test
    public void shrinksWhenResizedAndKeepsTheNewest() {
        FrameRing ring = new FrameRing(5000, 1 << 20);
        for (int i = 1; i <= 100; i++) {
            add(ring, i, i * 40L, 10);
        }
        ring.resize(1000, 1 << 20);
        assertEquals(26, ring.size());
        ring.resize(1000, 50);
        assertEquals(5, ring.size());
        List<FrameRing.Entry> kept = ring.since(0);
        assertEquals(100, kept.get(4).sequence());
        assertArrayEquals(jpeg(100, 10), kept.get(4).jpeg());
        assertEquals(100, ring.buffered());
    }

    @Test
    public void givesTheFramesAClipMissedBetweenTwoSequences() {
        FrameRing ring = new FrameRing(5000, 1 << 20);
        for (int i = 1; i <= 20; i++) {
            add(ring, i, 1000 + i * 40L, 10);
        }
        assertEquals(List.of(11L, 12L, 13L),
                ring.between(10, 14, 0).stream().map(FrameRing.Entry::sequence).toList());
        assertEquals(List.of(18L, 19L), ring.between(Long.MIN_VALUE, 20, 1000 + 18 * 40L).stream()
                .map(FrameRing.Entry::sequence).toList()); // none written yet: those since the clip's start
        assertArrayEquals(jpeg(12, 10), ring.between(11, 13, 0).get(0).jpeg());
    }
}
