package org.edgegate.clips.internal;

/** The recorder's counters, what gw:clips shows; changed under the recorder's lock, handed out as copies. */
final class Counters {
    long clips;
    long frames;
    long removed;
    long repaired;
    long errors;
    String lastError = "";

    Counters copy() {
        Counters c = new Counters();
        c.clips = clips;
        c.frames = frames;
        c.removed = removed;
        c.repaired = repaired;
        c.errors = errors;
        c.lastError = lastError;
        return c;
    }
}
