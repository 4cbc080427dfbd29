package org.edgegate.shm.internal;

/**
 * The frame file's layout: what readers in other processes (frames.py, C, our tests) rely on, so it changes
 * only with {@link #VERSION}. docs/shm.md describes each field; all numbers are little-endian.
 */
final class FrameLayout {
    private FrameLayout() {
    }

    /** "EGFRAMES" in ASCII, read as a little-endian 64-bit number. */
    static final long MAGIC = 0x53454D4152464745L;
    static final int VERSION = 1;
    static final int PAGE = 4096;
    static final int HEADER_SIZE = PAGE;
    static final int SLOT_HEADER_SIZE = 64;

    // File header: offsets in bytes.
    static final int H_MAGIC = 0;
    static final int H_VERSION = 8;
    static final int H_HEADER_SIZE = 12;
    static final int H_SLOTS = 16;
    static final int H_SLOT_HEADER_SIZE = 20;
    static final int H_SLOT_STRIDE = 24;
    static final int H_SLOT_CAPACITY = 32;
    static final int H_GENERATION = 40;
    static final int H_STATE = 48;
    static final int H_PID = 52;
    static final int H_LATEST = 56;
    static final int H_FORMAT = 60;
    static final int H_WIDTH = 64;
    static final int H_HEIGHT = 68;
    static final int H_WRITTEN = 72;
    static final int H_CAMERA = 128;
    static final int CAMERA_BYTES = 64;

    // Slot header: offsets from the slot's start.
    static final int S_LOCK = 0;
    static final int S_SEQ = 8;
    static final int S_TIME = 16;
    static final int S_MONO = 24;
    static final int S_WIDTH = 32;
    static final int S_HEIGHT = 36;
    static final int S_FORMAT = 40;
    static final int S_LENGTH = 44;
    static final int S_CRC = 48;
    static final int S_FLAGS = 52;

    static final int STATE_LIVE = 1;
    static final int STATE_CLOSED = 2;
    static final int STATE_REPLACED = 3;

    static final int FLAG_CRC = 1;
}
