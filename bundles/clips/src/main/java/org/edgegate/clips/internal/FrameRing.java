package org.edgegate.clips.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One camera's pre-roll: its newest frames' JPEGs spanning at most {@code millis} of frame time and
 * {@code maxBytes}; the oldest give way first. The bytes are copied into slabs of {@value #SLAB} bytes that are
 * kept and reused, the frames' times and places into arrays: buffering a frame allocates nothing. (Keeping the
 * camera's own arrays by reference made every JPEG live for the whole pre-roll, so the collector copied each one
 * out of the young generation and ran full collections for them: the cost per frame was the collector's.)
 * Slabs are made as the pre-roll needs them and let go when it needs fewer, so memory follows the seconds held,
 * never more than {@code maxBytes} plus two slabs (an eighth of it at most). Not thread-safe: the owner locks.
 */
final class FrameRing {
    /** One frame read back; {@code time} in epoch milliseconds, the frame's own capture time. */
    record Entry(long sequence, long time, int width, int height, byte[] jpeg) {
    }

    /** Slab size: small enough that the spare slab costs little, large enough that few frames straddle two. */
    static final int SLAB = 256 * 1024;

    private long millis;
    private long maxBytes;
    private int slabSize;
    private int maxSlabs;

    // The byte stream: running positions; slab i of the window holds [base + i * slabSize, base + (i + 1) * slabSize).
    private byte[][] slabs = new byte[0][];
    private int firstSlab;
    private int slabCount;
    private long base;
    private long head;

    // The frames, a circular list: oldest at index first.
    private long[] seq = new long[64];
    private long[] time = new long[64];
    private long[] pos = new long[64];
    private int[] len = new int[64];
    private int[] size = new int[64]; // width << 16 | height
    private int first;
    private int count;

    private long buffered;
    private long dropped;

    FrameRing(long millis, long maxBytes) {
        resize(millis, maxBytes);
    }

    /** New bounds (rules came or went); frames beyond them go at once. */
    void resize(long millis, long maxBytes) {
        long newMax = Math.max(0, maxBytes);
        this.millis = Math.max(0, millis);
        if (newMax != this.maxBytes || slabs.length == 0) {
            List<Entry> kept = since(Long.MIN_VALUE);
            this.maxBytes = newMax;
            // The frames' bytes may start anywhere in the first slab: one slab more than the bound needs, and
            // slabs of at most a sixteenth of it, keep the bound's frames and the memory within an eighth of it.
            slabSize = (int) Math.max(1, Math.min(SLAB, newMax / 16));
            maxSlabs = (int) Math.min(Integer.MAX_VALUE - 8, (newMax + slabSize - 1) / slabSize + 1);
            slabs = new byte[Math.min(maxSlabs, 16)][];
            firstSlab = 0;
            slabCount = 0;
            base = 0;
            head = 0;
            first = 0;
            count = 0;
            long b = buffered;
            for (Entry e : kept) {
                add(e.sequence(), e.time(), e.width(), e.height(), e.jpeg());
            }
            buffered = b;
        }
        trim(count == 0 ? Long.MIN_VALUE : time[last()]);
    }

    /** Keeps a copy of the frame's JPEG. */
    void add(long sequence, long frameTime, int width, int height, byte[] jpeg) {
        int n = jpeg.length;
        if (n > maxBytes) {
            dropped++; // larger than the whole buffer: never kept
            return;
        }
        while (true) {
            if (count == 0) {
                head = base; // an empty ring starts over at its first slab: any frame within the bound fits
            }
            boolean underBound = bytes() + n <= maxBytes;
            if (underBound && head + n <= base + (long) slabCount * slabSize) {
                break;
            }
            if (underBound && slabCount > 0 && (count == 0 ? head : pos[first]) >= base + slabSize) {
                recycleFirstSlab();
            } else if (underBound && slabCount < maxSlabs) {
                addSlab(new byte[slabSize]);
            } else {
                removeFirst(); // never with count 0 (see above)
                dropped++; // the bytes, not the seconds, bound the ring
            }
        }
        put(head, jpeg);
        if (count == seq.length) {
            grow();
        }
        int i = index(count);
        seq[i] = sequence;
        time[i] = frameTime;
        pos[i] = head;
        len[i] = n;
        size[i] = (width & 0xFFFF) << 16 | (height & 0xFFFF);
        count++;
        head += n;
        buffered++;
        trim(frameTime);
    }

    private void trim(long newest) {
        while (count > 0 && time[first] < newest - millis) {
            removeFirst();
        }
        // Slabs wholly before the oldest frame: one stays as the spare the next frames write into, the rest go.
        long oldest = count == 0 ? head : pos[first];
        while (slabCount > 2 && oldest >= base + 2L * slabSize) {
            slabs[firstSlab] = null;
            firstSlab = (firstSlab + 1) % slabs.length;
            slabCount--;
            base += slabSize;
        }
    }

    private void removeFirst() {
        first = (first + 1) % seq.length;
        count--;
    }

    /** The first slab (no frame in it) becomes the last. */
    private void recycleFirstSlab() {
        byte[] s = slabs[firstSlab];
        slabs[firstSlab] = null;
        firstSlab = (firstSlab + 1) % slabs.length;
        slabCount--;
        base += slabSize;
        addSlab(s);
    }

    private void addSlab(byte[] s) {
        if (slabCount == slabs.length) {
            byte[][] more = new byte[Math.min(maxSlabs, slabs.length * 2)][];
            for (int k = 0; k < slabCount; k++) {
                more[k] = slabs[(firstSlab + k) % slabs.length];
            }
            slabs = more;
            firstSlab = 0;
        }
        slabs[(firstSlab + slabCount) % slabs.length] = s;
        slabCount++;
    }

    private void put(long at, byte[] src) {
        int off = 0;
        while (off < src.length) {
            long rel = at + off - base;
            byte[] slab = slabs[(int) ((firstSlab + rel / slabSize) % slabs.length)];
            int o = (int) (rel % slabSize);
            int n = Math.min(src.length - off, slabSize - o);
            System.arraycopy(src, off, slab, o, n);
            off += n;
        }
    }

    private byte[] get(long at, int n) {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            long rel = at + off - base;
            byte[] slab = slabs[(int) ((firstSlab + rel / slabSize) % slabs.length)];
            int o = (int) (rel % slabSize);
            int k = Math.min(n - off, slabSize - o);
            System.arraycopy(slab, o, out, off, k);
            off += k;
        }
        return out;
    }

    private void grow() {
        int n = seq.length * 2;
        seq = unwrap(seq, n);
        time = unwrap(time, n);
        pos = unwrap(pos, n);
        len = unwrap(len, n);
        size = unwrap(size, n);
        first = 0;
    }

    private long[] unwrap(long[] a, int n) {
        long[] out = new long[n];
        for (int k = 0; k < count; k++) {
            out[k] = a[(first + k) % a.length];
        }
        return out;
    }

    private int[] unwrap(int[] a, int n) {
        int[] out = new int[n];
        for (int k = 0; k < count; k++) {
            out[k] = a[(first + k) % a.length];
        }
        return out;
    }

    private int index(int k) {
        return (first + k) % seq.length;
    }

    private int last() {
        return index(count - 1);
    }

    /** The frames captured at or after {@code since} (epoch ms), oldest first, each with a copy of its JPEG. */
    List<Entry> since(long since) {
        return between(Long.MIN_VALUE, Long.MAX_VALUE, since);
    }

    /** The frames with a sequence in ({@code after}, {@code before}) captured at or after {@code since}. */
    List<Entry> between(long after, long before, long since) {
        List<Entry> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int i = index(k);
            if (seq[i] > after && seq[i] < before && time[i] >= since) {
                out.add(new Entry(seq[i], time[i], size[i] >>> 16, size[i] & 0xFFFF, get(pos[i], len[i])));
            }
        }
        return out;
    }

    int size() {
        return count;
    }

    /** The JPEG bytes held. */
    long bytes() {
        return count == 0 ? 0 : head - pos[first];
    }

    /** The memory the slabs take. */
    long memory() {
        return (long) slabCount * slabSize;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Frames kept since the ring was made. */
    long buffered() {
        return buffered;
    }

    /** Frames that left early because the byte bound was reached (the buffer held less than its seconds). */
    long dropped() {
        return dropped;
    }

    /** The span of frame time held, in ms. */
    long span() {
        return count == 0 ? 0 : time[last()] - time[first];
    }

    @Override
    public String toString() {
        return "FrameRing" + Arrays.asList(count, bytes(), memory());
    }
}
