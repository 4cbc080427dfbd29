package org.edgegate.clips.internal;

/**
 * The recorder's counters, all together (what gw:clips shows) and per rule ({@code /metrics}); changed under
 * the recorder's lock, handed out as copies.
 */
final class Counters {
    /** Clips started. */
    long clips;
    /** Clips finished whole. */
    long written;
    /** Clips that could not be started, written or finished. */
    long failed;
    long frames;
    /** Bytes of .avi written (frames with their chunk headers, file headers). */
    long bytes;
    long removed;
    long repaired;
    long errors;
    String lastError = "";

    Counters copy() {
        Counters c = new Counters();
        c.clips = clips;
        c.written = written;
        c.failed = failed;
        c.frames = frames;
        c.bytes = bytes;
        c.removed = removed;
        c.repaired = repaired;
        c.errors = errors;
        c.lastError = lastError;
        return c;
    }
}
